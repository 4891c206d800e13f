package dev.tollgate.sidecar.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Equal configurations serialise to equal bytes, whatever order their sets and maps were filled in and in whichever
 * JVM: the operator's snapshot version is a digest of these bytes, and replicas (separate JVMs) must agree on it.
 */
class CanonicalJsonTest {
    /** {@code Set.of} and {@code Map.copyOf} iterate in an order drawn anew by every JVM: a few runs show a difference. */
    private static final int CHILD_JVMS = 3;

    @Test
    void setsAndMapsFilledInAnyOrderSerialiseAlike() {
        assertThat(json(sample(false))).isEqualTo(json(sample(true)));
        assertThat(json(sample(false))).contains("\"on\":[\"connect-error\",\"rate-limited\",\"server-error\",\"timeout\"]");
    }

    @Test
    void everyJvmWritesTheSameBytes() throws Exception {
        String here = json(sample(false));
        for (int i = 0; i < CHILD_JVMS; i++) {
            assertThat(inChildJvm()).as("child JVM " + i).isEqualTo(here);
        }
    }

    /** A configuration with every set and map of the model, filled in the given order or its reverse. */
    static GatewayConfig sample(boolean reversed) {
        List<String> classes = new ArrayList<>(List.of("timeout", "rate-limited", "connect-error", "server-error"));
        List<String> names = new ArrayList<>(List.of("zone", "apiVersion", "region", "project", "location", "deployment"));
        if (reversed) {
            Collections.reverse(classes);
            Collections.reverse(names);
        }
        Map<String, String> map = new LinkedHashMap<>();
        names.forEach(name -> map.put(name, "v-" + name));
        ProviderConfig provider = new ProviderConfig("ai/mock", "mock", null, null, map, map, map, null);
        RouteConfig defaults = new RouteConfig("team/chat", List.of("chat"), map,
                List.of(new BackendConfig("ai/mock", null, 1, 0)), RetryConfig.defaults(), null, null, false, null);
        RouteConfig chosen = new RouteConfig("team/summarize", List.of("summarize"), null,
                List.of(new BackendConfig("ai/mock", null, 1, 0)), new RetryConfig(2, new LinkedHashSet<>(classes), 10),
                null, null, false, null);
        return new GatewayConfig("0", List.of(provider), List.of(defaults, chosen), null, null);
    }

    private static String json(GatewayConfig config) {
        return new String(ConfigJson.write(config), StandardCharsets.UTF_8);
    }

    /** What {@link PrintSample} writes in a JVM of its own, on this test's class path. */
    private static String inChildJvm() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"), PrintSample.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        byte[] out = child.getInputStream().readAllBytes();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        assertThat(child.exitValue()).isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Writes the sample configuration's JSON to standard output. */
    public static final class PrintSample {
        public static void main(String[] args) throws IOException {
            System.out.write(ConfigJson.write(sample(false)));
            System.out.flush();
        }
    }
}
