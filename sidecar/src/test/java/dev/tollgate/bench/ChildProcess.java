package dev.tollgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A process the benchmark started: its output goes to a log file; it is stopped at the end. */
final class ChildProcess {
    private final String name;
    private final Process process;
    private final Path log;
    private final long startedNanos;

    private ChildProcess(String name, Process process, Path log, long startedNanos) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.startedNanos = startedNanos;
    }

    static ChildProcess start(String name, List<String> command, Path workDir) throws IOException {
        return start(name, command, java.util.Map.of(), workDir);
    }

    /** With {@code env} added to this process's environment. */
    static ChildProcess start(String name, List<String> command, java.util.Map<String, String> env, Path workDir)
            throws IOException {
        Path log = workDir.resolve(name + ".log");
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new ChildProcess(name, process, log, started);
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    /**
     * Waits until {@code port} accepts connections and, when {@code path} is not null, answers
     * {@code GET path} with 200. Returns the time from exec to ready.
     */
    Duration awaitReady(int port, String path, Duration timeout) throws IOException, InterruptedException {
        long deadline = startedNanos + timeout.toNanos();
        byte[] probe = path == null ? null : HttpConnection.request("GET", port, path, null);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with status " + process.exitValue() + "; its log:\n" + logText());
            }
            try (HttpConnection connection = new HttpConnection(port, Duration.ofSeconds(1))) {
                if (probe == null || connection.exchange(probe, null).status() == 200) {
                    return Duration.ofNanos(System.nanoTime() - startedNanos);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(2);
        }
        throw new IOException(name + " was not ready within " + timeout.toMillis() + " ms; its log:\n" + logText());
    }

    String logText() throws IOException {
        String text = Files.readString(log);
        return text.length() <= 4000 ? text : "..." + text.substring(text.length() - 4000);
    }

    /** Asks it to stop (SIGTERM: nginx's master takes its workers down), then forces it. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
