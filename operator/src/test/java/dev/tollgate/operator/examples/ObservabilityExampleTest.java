package dev.tollgate.operator.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.metering.UsageLine;
import dev.tollgate.sidecar.metering.UsageRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code examples/observability}: a collector configuration that takes what sidecars send, and a query that matches it. */
class ObservabilityExampleTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "observability");

    @Test
    void theCollectorReceivesOtlpHttpAndSendsTracesAndUsageEventsOnThroughDefinedComponents() throws Exception {
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(EXAMPLE.resolve("collector.yaml").toFile());

        // The sidecars post to {endpoint}/v1/traces and /v1/logs: the OTLP/HTTP receiver's port.
        assertThat(config.at("/receivers/otlp/protocols/http/endpoint").asText()).endsWith(":4318");
        for (String pipeline : List.of("traces", "logs")) {
            JsonNode p = config.at("/service/pipelines/" + pipeline);
            assertThat(names(p.get("receivers"))).containsExactly("otlp");
            assertThat(names(p.get("exporters"))).contains("debug");
            names(p.get("exporters")).forEach(e -> assertThat(config.at("/exporters").has(e)).as(e).isTrue());
            names(p.get("processors")).forEach(e -> assertThat(config.at("/processors").has(e)).as(e).isTrue());
        }
    }

    @Test
    void theReadmesQueryUsesFieldsAUsageLineHas() throws Exception {
        String readme = Files.readString(EXAMPLE.resolve("README.md"));
        JsonNode line = new ObjectMapper().readTree(UsageLine.toJson(new UsageRecord(Instant.now(), "req-1", "shop", "pod", "web",
                "shop/chat", "chat", "gpt-4o-mini", "shop/openai", "openai", "shop/bot", "search", "customer-42",
                new Usage(1, 0, 0, 1, 0), 1, true, 1, null, 1, 200, false, null)));

        for (String field : List.of("costMicros", "feature")) {
            assertThat(line.has(field)).as(field).isTrue();
            assertThat(readme).contains("LogAttributes['" + field + "']");
        }
        assertThat(readme).contains("EventName = 'tollgate.usage'");
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        if (list != null) {
            list.forEach(n -> names.add(n.asText()));
        }
        return names;
    }
}
