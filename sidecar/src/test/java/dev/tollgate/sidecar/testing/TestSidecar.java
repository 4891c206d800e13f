package dev.tollgate.sidecar.testing;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.tollgate.sidecar.Sidecar;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real sidecar on ephemeral loopback ports, its usage lines in a temp file, and clients for it. */
public final class TestSidecar implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Sidecar sidecar;
    private final Path usageLog;
    private final PlainHttp http = new PlainHttp();

    private TestSidecar(SidecarSettings settings, GatewayConfig config, Path usageLog) {
        this.usageLog = usageLog;
        this.sidecar = Sidecar.start(settings.withPorts(0, 0).withUsageLog(usageLog), config);
    }

    public static TestSidecar start(GatewayConfig config) {
        return start(SidecarSettings.defaults(), config);
    }

    public static TestSidecar start(SidecarSettings settings, GatewayConfig config) {
        try {
            return new TestSidecar(settings, config, Files.createTempFile("tollgate-usage", ".jsonl"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Sidecar sidecar() {
        return sidecar;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + sidecar.proxyPort() + "/v1";
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + sidecar.adminPort();
    }

    /** The official OpenAI SDK pointed at the sidecar, with its own retries off so tests see each answer. */
    public OpenAIClient openAi(String apiKey) {
        return OpenAIOkHttpClient.builder().baseUrl(baseUrl()).apiKey(apiKey).maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    /**
     * The official Anthropic SDK pointed at the sidecar, retries off. It appends /v1/messages itself;
     * the key travels as its x-api-key.
     */
    public AnthropicClient anthropic(String apiKey) {
        return AnthropicOkHttpClient.builder().baseUrl("http://127.0.0.1:" + sidecar.proxyPort()).apiKey(apiKey)
                .maxRetries(0).timeout(Duration.ofSeconds(30)).build();
    }

    public HttpResponse<String> post(String path, String body, String... headers) {
        return post(path, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** A body sent byte for byte, for malformed encodings. */
    public HttpResponse<String> post(String path, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sidecar.proxyPort() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build());
    }

    public HttpResponse<String> get(String url) {
        return http.get(url);
    }

    /** Waits until at least {@code count} usage lines were written, and returns them all. */
    public List<JsonNode> usageLines(int count) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (true) {
            List<JsonNode> lines = readUsage();
            if (lines.size() >= count || System.currentTimeMillis() > deadline) {
                return lines;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return lines;
            }
        }
    }

    public String usageLogText() {
        try {
            return Files.readString(usageLog);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<JsonNode> readUsage() {
        List<JsonNode> out = new ArrayList<>();
        for (String line : usageLogText().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                out.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("usage line is not JSON: " + line, e);
            }
        }
        return out;
    }

    public String metrics() {
        return get(adminUrl() + "/metrics").body();
    }

    @Override
    public void close() {
        sidecar.close();
    }
}
