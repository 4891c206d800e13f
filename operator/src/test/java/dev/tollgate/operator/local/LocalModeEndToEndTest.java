package dev.tollgate.operator.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.NotFoundException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tollgate.operator.config.KeyFingerprint;
import dev.tollgate.sidecar.metering.Money;
import dev.tollgate.sidecar.spend.SpendKeyLedger;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate local} on a copy of examples/local, driven as a user would drive it. */
class LocalModeEndToEndTest {
    /** The token spendkeys.yaml documents for the README tour. */
    private static final String DEMO_TOKEN = "tg_demo_local_only";
    private static final Path EXAMPLES = Path.of("..", "examples", "local");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An OpenAI ProviderSecret whose key comes from the environment. */
    private static final String OPENAI_FROM_ENV = """
                apiVersion: v1
                kind: Secret
                metadata: {name: openai-credentials}
                stringData:
                  api-key: ${OPENAI_API_KEY}
                ---
                apiVersion: tollgate.dev/v1alpha1
                kind: ProviderSecret
                metadata: {name: openai}
                spec: {provider: openai, secretRef: {name: openai-credentials}}
                """;

    @TempDir
    Path dir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private LocalGateway gateway;

    @BeforeEach
    void copyExamples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void servesFailsOverReloadsKeepsTheLastGoodConfigAndKeepsSpendAcrossRestarts() throws Exception {
        gateway = start();
        assertThat(printed()).contains("proxy      http://127.0.0.1:" + gateway.proxyPort() + "/v1",
                "metrics    http://127.0.0.1:" + gateway.adminPort() + "/metrics",
                "route      default/chat: chat -> default/mock-flaky as gpt-4o-mini (priority 0),"
                        + " default/mock-primary as gpt-4o-mini (priority 1)",
                "spend key  default/demo: chat, gpt-4o-mini*; budget 0.05 daily, spent 0.00");

        // The first backend always fails with 503: the answer comes from the second one.
        ChatCompletion answer = ask(DEMO_TOKEN, "chat");
        assertThat(answer.choices().get(0).message().content()).isPresent().get().asString().isNotBlank();
        JsonNode usage = lastUsageLine();
        assertThat(usage.path("route").asText()).isEqualTo("default/chat");
        assertThat(usage.path("provider").asText()).isEqualTo("default/mock-primary");
        assertThat(usage.path("upstreamModel").asText()).isEqualTo("gpt-4o-mini");
        assertThat(usage.path("attempts").asInt()).isEqualTo(2);
        assertThat(usage.path("spendKey").asText()).isEqualTo("default/demo");
        assertThat(usage.path("status").asInt()).isEqualTo(200);
        assertThat(usage.path("costMicros").asLong()).isPositive();
        assertThat(metric("tollgate_failovers_total")).isGreaterThanOrEqualTo(1.0);

        // A new file adds a route, served without a restart.
        assertThatThrownBy(() -> ask(DEMO_TOKEN, "summarize")).isInstanceOf(NotFoundException.class);
        Files.writeString(dir.resolve("summarize.yaml"), """
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: summarize}
                spec:
                  models: [summarize]
                  backends: [{providerRef: {name: mock-primary}, model: gpt-4o-mini}]
                """);
        awaitPrinted("reloaded configuration");
        assertThat(ask(null, "summarize").choices()).hasSize(1);

        // A broken edit is reported with file and line, and the last good configuration keeps serving.
        String routes = Files.readString(dir.resolve("routes.yaml"));
        Files.writeString(dir.resolve("routes.yaml"), routes.replace("models: [chat]", "models: [chat"));
        awaitPrinted("kept the last good configuration");
        assertThat(printed()).containsPattern(Pattern.quote(dir.resolve("routes.yaml").toString()) + ":\\d+: ");
        assertThat(ask(DEMO_TOKEN, "chat").choices()).hasSize(1);
        assertThat(ask(null, "summarize").choices()).hasSize(1);
        assertThat(printed().split("kept the last good configuration", -1)).as("reported once, not every poll").hasSize(2);

        long spent = demoLedger().spentMicros();
        long requests = demoLedger().requests();
        assertThat(spent).isPositive();
        assertThat(requests).isEqualTo(2);

        // Stop, repair the file, start again: the key's spend and counters are back.
        gateway.close();
        assertThat(dir.resolve(".tollgate/state.json")).exists();
        Files.writeString(dir.resolve("routes.yaml"), routes);
        output.reset();
        gateway = start();
        assertThat(demoLedger().spentMicros()).isEqualTo(spent);
        assertThat(demoLedger().requests()).isEqualTo(requests);
        assertThat(printed()).contains("spent " + Money.formatUsd(spent));
        ask(DEMO_TOKEN, "chat");
        assertThat(demoLedger().spentMicros()).isGreaterThan(spent);
    }

    @Test
    void aFileTruncatedAndRewrittenSlowlyNeverMakesItsRoutesVanishAndAFinishedEditStillAppliesQuickly() throws Exception {
        String summarize = """
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: summarize}
                spec:
                  models: [summarize]
                  backends: [{providerRef: {name: mock-primary}, model: gpt-4o-mini}]
                """;
        Path file = dir.resolve("summarize.yaml");
        Files.writeString(file, summarize);
        gateway = start();
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.proxyPort() + "/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"summarize\",\"max_tokens\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        Thread client = new Thread(() -> {
            while (writing.get()) {
                try {
                    HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200) {
                        served.incrementAndGet();
                    } else {
                        failures.add(answer.statusCode() + " " + answer.body());
                    }
                } catch (IOException | InterruptedException e) {
                    failures.add(e.toString());
                }
            }
        });
        client.start();

        // As `cat new > summarize.yaml` from a slow source: truncated, then written a few bytes at a time.
        byte[] content = summarize.getBytes(StandardCharsets.UTF_8);
        for (int rewrite = 0; rewrite < 3; rewrite++) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                Thread.sleep(150);
                for (int at = 0; at < content.length; at += 24) {
                    channel.write(ByteBuffer.wrap(content, at, Math.min(24, content.length - at)));
                    Thread.sleep(60);
                }
            }
        }
        writing.set(false);
        client.join();

        assertThat(failures).as("requests failed while the file was rewritten").isEmpty();
        assertThat(served.get()).isPositive();
        System.out.printf("%d requests served while summarize.yaml was rewritten slowly 3 times%n", served.get());

        // A finished edit applies once it settled, as before.
        long edited = System.nanoTime();
        Files.writeString(file, summarize.replace("models: [summarize]", "models: [summarize, digest]"));
        await(() -> {
            try {
                ask(null, "digest");
                return true;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
        System.out.printf("an edit applied after %d ms%n", (System.nanoTime() - edited) / 1_000_000);
    }

    @Test
    void aSpendKeyWithoutATokenSecretGetsATokenPrintedOnceThatSurvivesRestarts() throws Exception {
        String keys = Files.readString(dir.resolve("spendkeys.yaml"));
        Files.writeString(dir.resolve("spendkeys.yaml"), keys.substring(0, keys.indexOf("---")));
        gateway = start();
        Matcher printedToken = Pattern.compile("\\n\\s+(tg_[0-9A-Za-z]{43})\\n").matcher(printed());
        assertThat(printedToken.find()).as("a generated token in:%n%s", printed()).isTrue();
        String token = printedToken.group(1);

        ask(token, "chat");
        assertThat(lastUsageLine().path("spendKey").asText()).isEqualTo("default/demo");
        gateway.close();

        output.reset();
        gateway = start();
        assertThat(printed()).doesNotContain(token).doesNotContain("generated its token");
        ask(token, "chat");
        assertThat(demoLedger().requests()).isEqualTo(2);
    }

    @Test
    void aKeyRemovedForAMomentComesBackWithItsSpend() throws Exception {
        gateway = start();
        ask(DEMO_TOKEN, "chat");
        long spent = demoLedger().spentMicros();
        Path keys = dir.resolve("spendkeys.yaml");
        String keysYaml = Files.readString(keys);

        Files.delete(keys);
        awaitPrinted("reloaded configuration");
        assertThat(gateway.spendKeys().byName("default/demo")).isEmpty();
        gateway.close();

        output.reset();
        gateway = start();
        Files.writeString(keys, keysYaml);
        awaitPrinted("reloaded configuration");
        assertThat(demoLedger().spentMicros()).isEqualTo(spent);
        assertThat(demoLedger().requests()).isEqualTo(1);
    }

    @Test
    void providerKeysComeFromTheEnvironmentAndAreShownOnlyAsAFingerprint() throws Exception {
        Files.writeString(dir.resolve("openai.yaml"), OPENAI_FROM_ENV + """
                ---
                apiVersion: tollgate.dev/v1alpha1
                kind: AIRoute
                metadata: {name: real}
                spec: {models: [gpt-4.1], backends: [{providerRef: {name: openai}}]}
                """);

        gateway = start(Map.of("OPENAI_API_KEY", "sk-test-from-env"));

        assertThat(printed()).contains("provider   default/openai (openai, key " + KeyFingerprint.of("sk-test-from-env") + ")")
                .contains("route      default/real: gpt-4.1 -> default/openai")
                .doesNotContain("sk-test-from-env");
    }

    @Test
    void withoutTheEnvironmentVariableTheProviderIsLeftOutAndSaysWhy() throws Exception {
        Files.writeString(dir.resolve("openai.yaml"), OPENAI_FROM_ENV);

        gateway = start();

        assertThat(printed()).contains("stringData.api-key left out: environment variable OPENAI_API_KEY is not set",
                "problem    ProviderSecret default/openai: Secret default/openai-credentials has no key 'api-key' (KeyMissing)");
        assertThat(ask(DEMO_TOKEN, "chat").choices()).hasSize(1);
    }

    @Test
    void aBrokenDirectoryAtStartIsAnErrorNamingTheFile() throws Exception {
        Files.writeString(dir.resolve("routes.yaml"), "apiVersion: tollgate.dev/v1alpha1\nkind: AIRoute\n  bad: [\n");

        assertThatThrownBy(this::start).isInstanceOf(ManifestException.class)
                .hasMessageStartingWith(dir.resolve("routes.yaml") + ":");
    }

    @Test
    void theTourKeyRunsOutOfBudgetWithoutEverOverspending() throws Exception {
        gateway = start();
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"model\":\"chat\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        int served = 0;
        HttpResponse<String> refused = null;
        for (int i = 0; i < 200 && refused == null; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + gateway.proxyPort() + "/v1/chat/completions"))
                    .header("Authorization", "Bearer tg_tiny_local_only").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                served++;
            } else {
                refused = response;
            }
        }

        assertThat(served).isGreaterThan(5);
        assertThat(refused).isNotNull();
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("budget_exceeded");
        SpendKeyLedger tiny = gateway.spendKeys().ledgers().stream()
                .filter(l -> l.name().equals("default/tiny")).findFirst().orElseThrow();
        assertThat(tiny.requests()).isEqualTo(served);
        assertThat(tiny.spentMicros()).isPositive().isLessThanOrEqualTo(Money.parseUsd("0.001"));
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LocalOptions options = LocalOptions.defaults(dir).withPorts(taken.getLocalPort(), 0).withEnv(Map.of());

            assertThatThrownBy(() -> LocalGateway.start(options, new PrintStream(output, true, StandardCharsets.UTF_8)))
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void aDamagedStateFileStopsTheStartInsteadOfResettingBudgets() throws Exception {
        Files.createDirectories(dir.resolve(".tollgate"));
        Files.writeString(dir.resolve(".tollgate/state.json"), "{\"spendKeys\": [{\"name\": ");

        assertThatThrownBy(this::start).hasMessageContaining("state.json is damaged")
                .hasMessageContaining("delete it to start every budget from zero");
    }

    private LocalGateway start() throws ManifestException {
        return start(Map.of());
    }

    private LocalGateway start(Map<String, String> env) throws ManifestException {
        LocalOptions options = LocalOptions.defaults(dir).withPorts(0, 0).withEnv(env)
                .withPollInterval(Duration.ofMillis(100));
        return LocalGateway.start(options, new PrintStream(output, true, StandardCharsets.UTF_8));
    }

    private ChatCompletion ask(String token, String model) {
        OpenAIClient client = OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + gateway.proxyPort() + "/v1")
                .apiKey(token == null ? "none" : token)
                .maxRetries(0)
                .timeout(Duration.ofSeconds(30))
                .build();
        try {
            return client.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model(model).addUserMessage("Say hello to the gateway").maxCompletionTokens(50).build());
        } finally {
            client.close();
        }
    }

    private SpendKeyLedger demoLedger() {
        return gateway.spendKeys().ledgers().stream().filter(l -> l.name().equals("default/demo")).findFirst().orElseThrow();
    }

    private JsonNode lastUsageLine() throws IOException {
        Path log = dir.resolve(".tollgate/usage.jsonl");
        await(() -> Files.exists(log) && readLines(log).size() > 0);
        List<String> lines = readLines(log);
        return JSON.readTree(lines.get(lines.size() - 1));
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private double metric(String name) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body().lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private String printed() {
        return output.toString(StandardCharsets.UTF_8);
    }

    private void awaitPrinted(String text) {
        await(() -> printed().contains(text));
    }

    /** Polls for up to 10 seconds. */
    private void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10s; output:%n%s", printed()).isLessThan(deadline);
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
