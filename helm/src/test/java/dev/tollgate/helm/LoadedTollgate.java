package dev.tollgate.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.operator.api.AIRoute;
import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.runtime.DeliveryServers;
import dev.tollgate.operator.runtime.OperatorApp;
import dev.tollgate.operator.runtime.OperatorOptions;
import dev.tollgate.sidecar.SidecarSettings;
import dev.tollgate.sidecar.control.ControlSettings;
import dev.tollgate.sidecar.control.InClusterSidecar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The operator (reconcilers, control API, metrics) over a Fabric8 mock cluster, and a real sidecar in
 * in-cluster mode that it configures, then a bounded load through it that gives every metric label a
 * value: several routes and models, a backend that always fails (failover), a route with nothing
 * but a failing backend (errors, an open circuit), streams, features, spend keys, one run dry, a model
 * without a price.
 */
final class LoadedTollgate implements AutoCloseable {
    static final String NAMESPACE = "team-a";
    static final String WORKLOAD = "chatbot";
    static final String POD = "chatbot-7d4f9-abcde";
    /** The key made to run dry: its limit buys about a dozen of the assistant route's answers. */
    static final String TINY_KEY = "tiny";
    /** The operator's own client says so in every request, so its calls can be told from the test's. */
    static final String OPERATOR_USER_AGENT = "tollgate-operator-under-test";
    private static final String POD_TOKEN = "projected-sa-token-of-chatbot";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OBJECTS = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: team-a}
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: ProviderSecret
            metadata: {name: mock-primary, namespace: team-a}
            spec: {provider: mock, mock: {latency: 5ms, chunkDelay: 2ms, tokensPerChunk: 3}}
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: ProviderSecret
            metadata: {name: mock-flaky, namespace: team-a}
            spec: {provider: mock, mock: {failStatus: 503}}
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: ProviderSecret
            metadata: {name: mock-down, namespace: team-a}
            spec: {provider: mock, mock: {failStatus: 500}}
            ---
            # Its first backend always fails and its circuit never opens: every request fails over.
            apiVersion: tollgate.dev/v1alpha1
            kind: AIRoute
            metadata: {name: chat, namespace: team-a}
            spec:
              models: [chat]
              backends:
              - {providerRef: {name: mock-flaky}, model: gpt-4o-mini, priority: 0}
              - {providerRef: {name: mock-primary}, model: gpt-4o-mini, priority: 1}
              retry: {attempts: 2, backoff: 1ms}
              circuitBreaker: {consecutiveFailures: 1000000}
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: AIRoute
            metadata: {name: assistant, namespace: team-a}
            spec:
              models: [assistant]
              backends: [{providerRef: {name: mock-primary}, model: gpt-4o}]
            ---
            # Nothing but a failing backend: 5xx answers, then an open circuit.
            apiVersion: tollgate.dev/v1alpha1
            kind: AIRoute
            metadata: {name: broken, namespace: team-a}
            spec:
              models: [broken]
              backends: [{providerRef: {name: mock-down}, model: gpt-4o-mini}]
              retry: {attempts: 1}
              circuitBreaker: {consecutiveFailures: 3, cooldown: 5m}
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: AIRoute
            metadata: {name: experimental, namespace: team-a}
            spec:
              models: [experimental]
              backends: [{providerRef: {name: mock-primary}, model: tollgate-experimental-1}]
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: SpendKey
            metadata: {name: team, namespace: team-a}
            spec: {budget: {limit: "100", period: monthly}}
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: SpendKey
            metadata: {name: tiny, namespace: team-a}
            spec: {budget: {limit: "0.005", period: monthly}, models: [assistant]}
            """;

    private final KubernetesClient client;
    private final KubernetesClient operatorClient;
    private final OperatorApp operator;
    private final InClusterSidecar sidecar;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private LoadedTollgate(KubernetesClient client, KubernetesClient operatorClient, OperatorApp operator, InClusterSidecar sidecar) {
        this.client = client;
        this.operatorClient = operatorClient;
        this.operator = operator;
        this.sidecar = sidecar;
    }

    /** @param operatorFlags flags of {@code tollgate operator} beyond its listeners, e.g. {@code --no-leader-election} */
    static LoadedTollgate start(KubernetesClient client, KubernetesMockServer server, Path dir, List<String> operatorFlags)
            throws Exception {
        answerTokenReviews(server);
        apply(client);
        KubernetesClient operatorClient = new KubernetesClientBuilder()
                .withConfig(new ConfigBuilder(client.getConfiguration()).withUserAgent(OPERATOR_USER_AGENT).build()).build();
        OperatorOptions options;
        OperatorApp operator;
        for (int attempt = 1; ; attempt++) {
            List<String> flags = new ArrayList<>(List.of("--bind", "127.0.0.1", "--health-port", "0",
                    "--control-port", String.valueOf(PrometheusServer.freePort()), "--shutdown-drain", "0s",
                    // The serving certificate names the Service; "localhost" is a name the sidecar here can reach.
                    "--service-name", "localhost"));
            flags.addAll(operatorFlags);
            options = OperatorOptions.parse(flags, Map.of("TOLLGATE_NAMESPACE", "tollgate-system", "POD_NAME", "tollgate-operator-0"));
            try {
                operator = OperatorApp.start(options, operatorClient, List.of(new DeliveryServers()));
                break;
            } catch (Exception | Error e) {
                // The sidecar must know the control port before it starts, so it is picked free and then bound:
                // another process may take it in between. A new port, a few times.
                if (attempt < 3 && causedByBind(e)) {
                    continue;
                }
                operatorClient.close();
                throw e;
            }
        }
        InClusterSidecar sidecar = null;
        try {
            Path token = Files.writeString(dir.resolve("token"), POD_TOKEN + "\n");
            ControlSettings control = new ControlSettings(URI.create("https://localhost:" + options.controlPort()),
                    caPem(client), token, dir.resolve("state"), Duration.ofSeconds(5));
            SidecarSettings defaults = SidecarSettings.defaults();
            SidecarSettings settings = new SidecarSettings("127.0.0.1", 0, "127.0.0.1", 0, defaults.maxConcurrentRequests(),
                    defaults.maxBodyBytes(), NAMESPACE, POD, WORKLOAD, Map.of("app", WORKLOAD), null,
                    Files.createTempFile(dir, "usage", ".jsonl"), null);
            sidecar = InClusterSidecar.start(settings, control);
            LoadedTollgate tollgate = new LoadedTollgate(client, operatorClient, operator, sidecar);
            tollgate.awaitSidecarReady();
            return tollgate;
        } catch (Exception | Error e) {
            if (sidecar != null) {
                sidecar.close();
            }
            operator.close();
            operatorClient.close();
            throw e;
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    int sidecarAdminPort() {
        return sidecar.sidecar().adminPort();
    }

    int operatorMetricsPort() {
        return operator.healthPort();
    }

    /**
     * {@code rounds} rounds of every kind of request, a pause between them so the load spans several
     * scrapes. The tiny key is used until it is refused (at most a bounded number of times).
     * Returns how many of the tiny key's requests were refused for its budget.
     */
    int run(int rounds, Duration pause) throws InterruptedException {
        String team = spendKeyToken("team");
        String tiny = spendKeyToken(TINY_KEY);
        int tinyRefused = 0;
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < 4; i++) {
                expect(200, chat("chat", false, team, i % 2 == 0 ? "search" : "summaries", null));
                expect(200, chat("chat", true, team, "summaries", null));
            }
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> answer = chat("assistant", i % 2 == 0, tiny, "drafting", 40);
                if (answer.statusCode() == 429 && answer.body().contains("budget_exceeded")) {
                    tinyRefused++;
                } else {
                    expect(200, answer);
                }
            }
            expect(200, chat("experimental", false, null, null, null));
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> answer = chat("broken", false, team, "search", null);
                if (answer.statusCode() < 500) {
                    throw new AssertionError("route 'broken' answered " + answer.statusCode() + ", not a 5xx: " + answer.body());
                }
            }
            Thread.sleep(pause.toMillis());
        }
        return tinyRefused;
    }

    private HttpResponse<String> chat(String model, boolean stream, String key, String feature, Integer maxTokens) {
        String body = "{\"model\":\"" + model + "\",\"stream\":" + stream
                + (maxTokens == null ? "" : ",\"max_tokens\":" + maxTokens)
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Where does the money for AI calls go?\"}]}";
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + sidecar.sidecar().proxyPort() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        if (feature != null) {
            request.header("x-tollgate-feature", feature);
        }
        return send(request.build());
    }

    private static void expect(int status, HttpResponse<String> response) {
        if (response.statusCode() != status) {
            throw new AssertionError("expected " + status + " from the sidecar, got " + response.statusCode() + " " + response.body());
        }
    }

    /** The token the SpendKey reconciler generated into Secret NAME-spendkey. */
    private String spendKeyToken(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            Secret secret = client.secrets().inNamespace(NAMESPACE).withName(name + "-spendkey").get();
            if (secret != null && secret.getData() != null && secret.getData().get("token") != null) {
                return new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the operator made no token for SpendKey " + name);
    }

    private void awaitSidecarReady() throws InterruptedException {
        URI readyz = URI.create("http://127.0.0.1:" + sidecarAdminPort() + "/readyz");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String last = "";
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(readyz).timeout(Duration.ofSeconds(5)).build());
            last = response.body();
            if (response.statusCode() == 200 && last.contains("\"source\":\"operator\"")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the sidecar never got its configuration from the operator: " + last);
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The CA the operator created into its TLS Secret, which the sidecar trusts for the control API. */
    private static String caPem(KubernetesClient client) {
        Secret tls = client.secrets().inNamespace("tollgate-system").withName("tollgate-operator-tls").get();
        return new String(Base64.getDecoder().decode(tls.getData().get("ca.crt")), StandardCharsets.UTF_8);
    }

    private static void apply(KubernetesClient client) {
        for (String document : OBJECTS.split("(?m)^---\\s*$")) {
            Class<? extends HasMetadata> type = switch (Serialization.unmarshal(document, GenericKubernetesResource.class).getKind()) {
                case "Namespace" -> Namespace.class;
                case "ProviderSecret" -> ProviderSecret.class;
                case "AIRoute" -> AIRoute.class;
                case "SpendKey" -> SpendKey.class;
                default -> throw new IllegalArgumentException("unexpected kind in " + document);
            };
            client.resource(Serialization.unmarshal(document, type)).create();
        }
    }

    /**
     * The API server's TokenReview answer for the sidecar's projected token (audience tollgate.dev):
     * the chatbot pod of team-a. Any other token is not authenticated.
     */
    private static void answerTokenReviews(KubernetesMockServer server) {
        server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews").andReply(201, request -> {
            try {
                JsonNode spec = JSON.readTree(request.getUtf8Body()).path("spec");
                Map<String, Object> status = spec.path("token").asText().equals(POD_TOKEN)
                        ? Map.of("authenticated", true, "audiences", List.of("tollgate.dev"), "user", Map.of(
                                "username", "system:serviceaccount:" + NAMESPACE + ":default",
                                "groups", List.of("system:serviceaccounts", "system:serviceaccounts:" + NAMESPACE, "system:authenticated"),
                                "extra", Map.of("authentication.kubernetes.io/pod-name", List.of(POD))))
                        : Map.of("user", Map.of(), "error", "[invalid bearer token, token lookup failed]");
                return JSON.writeValueAsString(Map.of("apiVersion", "authentication.k8s.io/v1", "kind", "TokenReview",
                        "spec", spec, "status", status));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).always();
    }

    @Override
    public void close() {
        sidecar.close();
        operator.close();
        operatorClient.close();
    }
}
