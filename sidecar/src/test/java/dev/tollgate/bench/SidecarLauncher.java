package dev.tollgate.bench;

import dev.tollgate.sidecar.config.BackendConfig;
import dev.tollgate.sidecar.config.ConfigJson;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.ModelPrice;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.config.RouteConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts the sidecar's runnable jar in front of the upstream emulator, the way a pod runs it. */
final class SidecarLauncher {
    static final String MODEL = "bench-model";
    /** The model the upstream emulator answers with long, slow streams (the concurrency phase). */
    static final String LONG_STREAM_MODEL = "bench-long-stream";

    /** The started sidecar and how long it took from exec to {@code /readyz} answering 200. */
    record Started(ChildProcess process, Duration startup) {
    }

    private SidecarLauncher() {
    }

    /** One OpenAI-compatible provider (the emulator) and one route for {@value #MODEL}, priced like a small model. */
    static GatewayConfig config(int upstreamPort) {
        ProviderConfig upstream = new ProviderConfig("bench/upstream", "openai-compatible",
                "http://127.0.0.1:" + upstreamPort + "/v1", "sk-bench-not-a-real-key", null, Map.of(), Map.of(), null);
        RouteConfig route = new RouteConfig("bench/bench", List.of(MODEL, LONG_STREAM_MODEL), Map.of(),
                List.of(new BackendConfig(upstream.id(), null, 1, 0)), null, null, null, false, List.of());
        ModelPrice price = new ModelPrice(MODEL, 150_000, null, null, 600_000, null);
        ModelPrice longStreamPrice = new ModelPrice(LONG_STREAM_MODEL, 150_000, null, null, 600_000, null);
        return new GatewayConfig("bench-1", List.of(upstream), List.of(route), List.of(price, longStreamPrice), List.of())
                .validate();
    }

    static Started start(Path java, Path jar, List<String> jvmOptions, Path workDir, int port, int adminPort, int upstreamPort)
            throws IOException, InterruptedException {
        return start(java, jar, jvmOptions, Map.of(), workDir, port, adminPort, upstreamPort);
    }

    /** With {@code env} (the OTEL_* variables, say) in the sidecar's environment. */
    static Started start(Path java, Path jar, List<String> jvmOptions, Map<String, String> env, Path workDir, int port,
                         int adminPort, int upstreamPort) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no sidecar jar at " + jar + "; build it with ./mvnw -B -q -DskipTests package");
        }
        Path config = Files.write(workDir.resolve("bench-config.json"), ConfigJson.write(config(upstreamPort)));
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "--config", config.toString(),
                "--port", Integer.toString(port), "--admin-port", Integer.toString(adminPort),
                "--usage-log", workDir.resolve("usage.jsonl").toString()));
        ChildProcess sidecar = ChildProcess.start("sidecar", command, env, workDir);
        try {
            return new Started(sidecar, sidecar.awaitReady(adminPort, "/readyz", Duration.ofSeconds(30)));
        } catch (IOException e) {
            sidecar.stop();
            // The image's flags are for its Temurin 25; an older java refuses the newer ones.
            throw e.getMessage().contains("Unrecognized VM option")
                    ? new IOException(e.getMessage() + "\nthe sidecar's flags need the image's java (25): --sidecar-java PATH", e)
                    : e;
        } catch (InterruptedException e) {
            sidecar.stop();
            throw e;
        }
    }
}
