package dev.tollgate.sidecar;

import static dev.tollgate.sidecar.testing.Configs.chatBody;
import static dev.tollgate.sidecar.testing.Configs.chatRoute;
import static dev.tollgate.sidecar.testing.Configs.openAi;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.sidecar.config.ConfigJson;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sidecar process with the image's JVM flags (its 64 MB heap; a heap that runs out ends the
 * process) survives many concurrent bodies just under the size limit, and answers every one.
 */
class BodyMemoryUnderImageHeapTest {
    private static final Path JVM_OPTIONS = Path.of("src/main/jvm/jvm.options");
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final int CLIENTS = 12;
    /** 7.7 MiB, under the 8 MiB limit. */
    private static final int BODY_BYTES = 7_700 * 1024;

    @Test
    void manyBodiesNearTheLimitAreAnsweredAndTheProcessSurvives(@TempDir Path dir) throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.always(Reply.json(200, Fixtures.read("openai/chat-completion.json")));
            Path configFile = Files.write(dir.resolve("config.json"), ConfigJson.write(chatRoute(openAi("ai/openai", upstream))));
            Path log = dir.resolve("sidecar.log");
            Process sidecar = new ProcessBuilder(command(configFile, dir.resolve("usage.jsonl")))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                int port = awaitPort(sidecar, log);
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                byte[] body = largeChat();
                List<CompletableFuture<HttpResponse<String>>> answers = IntStream.range(0, CLIENTS)
                        .mapToObj(i -> http.sendAsync(post(port, body), HttpResponse.BodyHandlers.ofString()))
                        .toList();
                List<Integer> statuses = new ArrayList<>();
                for (CompletableFuture<HttpResponse<String>> answer : answers) {
                    statuses.add(statusOrZero(answer));
                }

                assertThat(sidecar.isAlive()).as("alive; its log:\n%s", tail(log)).isTrue();
                assertThat(statuses).as("every request answered; the log:\n%s", tail(log)).allMatch(Set.of(200, 413, 503)::contains);
                assertThat(statuses).contains(200);
                HttpResponse<String> after = http.send(post(port, chatBody("chat", false).getBytes()), HttpResponse.BodyHandlers.ofString());
                assertThat(after.statusCode()).isEqualTo(200);
            } finally {
                sidecar.destroy();
                if (!sidecar.waitFor(20, TimeUnit.SECONDS)) {
                    sidecar.destroyForcibly().waitFor();
                }
            }
        }
    }

    /**
     * The sidecar's main on this JVM's java with the image's flags; a java older than the image's
     * (25) skips the few flags it does not know, none of which sizes memory.
     */
    private static List<String> command(Path config, Path usageLog) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        boolean older = Runtime.version().feature() < 25;
        if (older) {
            command.add("-XX:+IgnoreUnrecognizedVMOptions");
        }
        for (String line : Files.readAllLines(JVM_OPTIONS)) {
            String flag = line.strip();
            if (flag.isEmpty() || flag.startsWith("#") || (older && flag.startsWith("--sun-misc-unsafe-memory-access"))) {
                continue;
            }
            command.add(flag);
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), SidecarMain.class.getName(),
                "--config", config.toString(), "--port", "0", "--admin-port", "0", "--usage-log", usageLog.toString()));
        return command;
    }

    private static int awaitPort(Process sidecar, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.readString(log));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            assertThat(sidecar.isAlive()).as("started; its log:\n%s", tail(log)).isTrue();
            Thread.sleep(50);
        }
        throw new AssertionError("the sidecar did not start; its log:\n" + tail(log));
    }

    /** 0 when no answer came (the connection was cut). */
    private static int statusOrZero(CompletableFuture<HttpResponse<String>> answer) throws Exception {
        try {
            return answer.get(120, TimeUnit.SECONDS).statusCode();
        } catch (ExecutionException noAnswer) {
            return 0;
        }
    }

    private static HttpRequest post(int port, byte[] body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private static byte[] largeChat() {
        String head = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"";
        String tail = "\"}]}";
        return (head + "word ".repeat((BODY_BYTES - head.length() - tail.length()) / 5) + tail).getBytes();
    }

    private static String tail(Path log) throws IOException {
        String text = Files.readString(log);
        return text.length() <= 3000 ? text : "..." + text.substring(text.length() - 3000);
    }
}
