package dev.tollgate.sidecar.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.config.BackendConfig;
import dev.tollgate.sidecar.config.RouteConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static RouteConfig route(String name, Map<String, String> selector, String... models) {
        return new RouteConfig(name, List.of(models), selector, List.of(new BackendConfig("ns/p", null, 1, 0)),
                null, null, null, false, null);
    }

    @Test
    void exactNamesBeatPrefixesAndLongerPrefixesBeatShorterOnes() {
        RouteTable table = new RouteTable(List.of(
                route("ns/broad", Map.of(), "gpt-*"),
                route("ns/mini", Map.of(), "gpt-4o-mini*"),
                route("ns/exact", Map.of(), "gpt-4o-mini-2024-07-18")), Map.of());

        assertThat(table.resolve("gpt-4o-mini-2024-07-18").orElseThrow().name()).isEqualTo("ns/exact");
        assertThat(table.resolve("gpt-4o-mini").orElseThrow().name()).isEqualTo("ns/mini");
        assertThat(table.resolve("gpt-4.1").orElseThrow().name()).isEqualTo("ns/broad");
        assertThat(table.resolve("claude")).isEmpty();
        assertThat(table.exactModelNames()).containsExactly("gpt-4o-mini-2024-07-18");
    }

    @Test
    void theEarlierRouteWinsATie() {
        RouteTable table = new RouteTable(List.of(route("ns/old", Map.of(), "chat"), route("ns/new", Map.of(), "chat")), Map.of());
        assertThat(table.resolve("chat").orElseThrow().name()).isEqualTo("ns/old");
    }

    @Test
    void workloadSelectorsKeepOtherWorkloadsRoutesOut() {
        List<RouteConfig> routes = List.of(route("ns/support", Map.of("app", "support-bot"), "chat"),
                route("ns/all", Map.of(), "embed"));

        RouteTable support = new RouteTable(routes, Map.of("app", "support-bot", "tier", "web"));
        RouteTable other = new RouteTable(routes, Map.of("app", "billing"));

        assertThat(support.resolve("chat")).isPresent();
        assertThat(other.resolve("chat")).isEmpty();
        assertThat(other.resolve("embed")).isPresent();
    }
}
