package dev.tollgate.sidecar.control;

import dev.tollgate.sidecar.wire.ControlSnapshot;
import dev.tollgate.sidecar.wire.LeaseAnswer;
import dev.tollgate.sidecar.wire.LeaseCall;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.config.ConfigJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;

/**
 * Calls the operator's control API over HTTPS — this pod's namespace snapshot and its spend-key leases —
 * trusting only the operator's CA and sending the pod's projected ServiceAccount token, re-read from its file for
 * every call (the kubelet rotates it). The token appears in no message.
 */
public final class ControlClient implements LeaseTransport {
    /** The operator holds a long poll for 25 s; the call is given that plus room for a slow network. */
    static final Duration LONG_POLL_CALL = Duration.ofSeconds(40);
    /** A call without a version is answered at once; failing fast keeps the bootstrap near 5 s. */
    static final Duration FIRST_CALL = Duration.ofSeconds(5);
    /** Leases are answered at once; a slower answer is as good as none (the keeper retries the next round). */
    static final Duration LEASE_CALL = Duration.ofSeconds(5);

    private final ControlSettings settings;
    private final HttpClient http;

    public ControlClient(ControlSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .sslContext(CaTrust.sslContext(settings.caPem()))
                .connectTimeout(Duration.ofSeconds(3))
                .build();
    }

    /**
     * The snapshot when its version differs from {@code knownVersion} (null: whatever is current);
     * empty when the operator had nothing newer within its long poll (304).
     *
     * @throws IOException when the operator cannot be reached or refuses the call (the message says why)
     */
    public Optional<ControlSnapshot> fetch(Long knownVersion) throws IOException, InterruptedException {
        String token = readToken();
        URI uri = settings.controlUrl().resolve("/v1/snapshot" + (knownVersion == null ? "" : "?version=" + knownVersion));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(knownVersion == null ? FIRST_CALL : LONG_POLL_CALL)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return switch (response.statusCode()) {
            case 200 -> Optional.of(ControlSnapshot.parse(response.body()));
            case 304 -> Optional.empty();
            default -> throw new IOException("operator answered " + response.statusCode() + errorMessage(response.body()));
        };
    }

    /**
     * {@code POST /v1/leases}: this round's reports, the operator's grants.
     *
     * @throws IOException when the operator cannot be reached or refuses the call (the message says why)
     */
    @Override
    public LeaseAnswer lease(LeaseCall call) throws IOException, InterruptedException {
        String token = readToken();
        HttpRequest request = HttpRequest.newBuilder(settings.controlUrl().resolve("/v1/leases"))
                .timeout(LEASE_CALL)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ConfigJson.MAPPER.writeValueAsBytes(call)))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("operator answered " + response.statusCode() + errorMessage(response.body()));
        }
        try {
            return ConfigJson.MAPPER.readValue(response.body(), LeaseAnswer.class);
        } catch (IOException e) {
            throw new IOException("the operator's lease answer is not a LeaseAnswer: " + e.getMessage(), e);
        }
    }

    private String readToken() throws IOException {
        String token;
        try {
            token = Files.readString(settings.tokenFile(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IOException("cannot read the ServiceAccount token file " + settings.tokenFile(), e);
        }
        if (token.isEmpty()) {
            throw new IOException("the ServiceAccount token file " + settings.tokenFile() + " is empty");
        }
        return token;
    }

    /** The OpenAI-shaped error message the operator sent, if any. */
    private static String errorMessage(byte[] body) {
        try {
            JsonNode message = ConfigJson.MAPPER.readTree(body).path("error").path("message");
            return message.isTextual() ? ": " + message.textValue() : "";
        } catch (IOException e) {
            return "";
        }
    }
}
