package dev.tollgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Starts Debian's nginx as a plain reverse proxy to the upstream emulator, from sidecar/bench/nginx.conf. */
final class Nginx {
    private Nginx() {
    }

    /** @param workers nginx's worker_processes value: a number or {@code auto} (one per core) */
    static ChildProcess start(Path template, Path workDir, int port, int upstreamPort, String workers)
            throws IOException, InterruptedException {
        Path prefix = Files.createDirectories(workDir.resolve("nginx"));
        String config = Files.readString(template)
                .replace("@PREFIX@", prefix.toString())
                .replace("@WORKERS@", workers)
                .replace("@PORT@", Integer.toString(port))
                .replace("@UPSTREAM_PORT@", Integer.toString(upstreamPort));
        Path conf = Files.writeString(prefix.resolve("nginx.conf"), config);
        ChildProcess nginx = ChildProcess.start("nginx", List.of("nginx", "-p", prefix.toString(), "-c", conf.toString(),
                "-e", prefix.resolve("error.log").toString()), workDir);
        try {
            nginx.awaitReady(port, null, Duration.ofSeconds(10));
            return nginx;
        } catch (IOException | InterruptedException e) {
            nginx.stop();
            throw e;
        }
    }
}
