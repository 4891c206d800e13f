package dev.tollgate.operator.lease;

import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.api.SpendKeyLease;
import dev.tollgate.operator.api.SpendKeyStatus;
import dev.tollgate.operator.certs.CertificateSettings;
import dev.tollgate.operator.certs.OperatorCertificates;
import dev.tollgate.operator.control.ClusterObjects;
import dev.tollgate.operator.control.ControlApiSettings;
import dev.tollgate.operator.control.ControlPlane;
import dev.tollgate.operator.control.TokenReviews;
import dev.tollgate.operator.runtime.OperatorApp;
import dev.tollgate.operator.runtime.OperatorOptions;
import dev.tollgate.sidecar.metering.Money;
import dev.tollgate.sidecar.metering.TokenCounter;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.prometheus.client.CollectorRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * Team-a's cluster as the lease tests need it, on the Fabric8 mock API server: a mock provider behind route
 * {@code chat}, priced so that every request costs the same known amount; spend keys with their token Secrets;
 * the operator as two control-plane replicas (each serving {@code /v1/leases} and writing SpendKey status by
 * compare-and-swap) plus the SpendKey reconciler; and sidecar pods spread over the two replicas.
 */
final class LeaseCluster implements AutoCloseable {
    static final String NS = SidecarPod.NAMESPACE;
    /** The mock provider's answer to every request. */
    static final String REPLY = "Every sidecar spends from one budget, and none of them spends past it.";
    static final long REPLY_TOKENS = TokenCounter.shared().count(REPLY);
    /**
     * Input is priced at zero and {@code max_tokens} is the answer's length, so a request reserves exactly what it
     * will cost: a budget of N requests can be spent to the last micro-dollar, and the key can reach BudgetExhausted.
     */
    static final long COST_MICROS = REPLY_TOKENS * 40;
    static final String CHAT = "{\"model\":\"chat\",\"max_tokens\":" + REPLY_TOKENS
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"How do leases keep a budget?\"}]}";
    static final Duration PATIENCE = Duration.ofSeconds(20);

    private static final String ROUTE = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: team-a}
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: ProviderSecret
            metadata: {name: mock, namespace: team-a}
            spec: {provider: mock, mock: {reply: "%s"}}
            ---
            apiVersion: tollgate.dev/v1alpha1
            kind: AIRoute
            metadata: {name: chat, namespace: team-a}
            spec:
              models: [chat]
              backends: [{providerRef: {name: mock}, model: gpt-4o-mini}]
              pricing: [{model: gpt-4o-mini, input: "0.00", output: "40.00"}]
            """.formatted(REPLY);

    final ShiftedClock clock;
    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final Path dir;
    private final TokenReviews tokens;
    private final OperatorCertificates certificates;
    private final int[] ports = new int[2];
    private final List<Replica> replicas = new ArrayList<>();
    private final List<SidecarPod> pods = new ArrayList<>();
    private OperatorApp reconciler;

    /** One operator replica's control plane, with its own API client and metrics. */
    record Replica(KubernetesClient client, ControlPlane control, CollectorRegistry metrics) {
    }

    LeaseCluster(KubernetesMockServer server, KubernetesClient client, Path dir, Instant start) {
        this.server = server;
        this.client = client;
        this.dir = dir;
        this.clock = new ShiftedClock(start);
        this.tokens = TokenReviews.answering(server);
        ClusterObjects.apply(client, ROUTE);
        this.certificates = OperatorCertificates.load(client, CertificateSettings.defaults("tollgate-system", "localhost"));
    }

    /**
     * A SpendKey with {@code spec} (YAML flow mapping) and its token in the Secret the operator reads.
     */
    SpendKeyRef spendKey(String name, String spec) {
        String token = ("tg_" + name + "0".repeat(43)).substring(0, 46);
        ClusterObjects.apply(client, """
                apiVersion: v1
                kind: Secret
                metadata: {name: %s-spendkey, namespace: team-a}
                data: {token: %s}
                ---
                apiVersion: tollgate.dev/v1alpha1
                kind: SpendKey
                metadata: {name: %s, namespace: team-a}
                spec: %s
                """.formatted(name, Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)), name, spec));
        return new SpendKeyRef(name, token);
    }

    /** A SpendKey spec with a budget of {@code limitMicros} per {@code period} and the given enforcement. */
    static String budgetSpec(long limitMicros, String period, String enforcement) {
        return "{budget: {limit: \"" + Money.formatUsd(limitMicros) + "\", period: " + period + "}, enforcement: " + enforcement + "}";
    }

    /** Both control-plane replicas (on the ports they had, after a stop) and the reconciler. */
    void startOperator() throws Exception {
        reconciler = OperatorApp.start(OperatorOptions.parse(List.of("--bind", "127.0.0.1", "--health-port", "0",
                "--no-leader-election", "--shutdown-drain", "0s"), Map.of()), client, List.of(), clock);
        for (int i = 0; i < ports.length; i++) {
            KubernetesClient own = server.createClient();
            CollectorRegistry metrics = new CollectorRegistry();
            ControlPlane control = ControlPlane.start(own, new ControlApiSettings("127.0.0.1", ports[i], ControlApiSettings.defaults().longPoll()),
                    certificates.sslContext(), List.of(), metrics, clock);
            ports[i] = control.port();
            replicas.add(new Replica(own, control, metrics));
        }
    }

    /** The whole operator goes away: both replicas and the reconciler. */
    void stopOperator() {
        for (Replica replica : replicas) {
            replica.control().close();
            replica.client().close();
        }
        replicas.clear();
        if (reconciler != null) {
            reconciler.close();
            reconciler = null;
        }
    }

    /** The next pod, its sidecar talking to replica (pod index mod 2); returns it ready. */
    SidecarPod startPod() throws Exception {
        return startPod(port -> port);
    }

    /** As {@link #startPod()}, reaching its replica's port through {@code via} (e.g. a relay in front of it). */
    SidecarPod startPod(IntUnaryOperator via) throws Exception {
        int index = pods.size();
        String name = "bot-7d4f9-" + index;
        String token = "sa-token-" + index;
        tokens.pod(token, NS, name);
        int replica = index % ports.length;
        SidecarPod pod = SidecarPod.start(name, replica, token, URI.create("https://localhost:" + via.applyAsInt(ports[replica])),
                certificates.caPem(), dir, clock);
        pods.add(pod);
        return pod;
    }

    List<SidecarPod> startPods(int count) throws Exception {
        List<SidecarPod> started = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            started.add(startPod());
        }
        return started;
    }

    int port(int replica) {
        return ports[replica];
    }

    Replica replica(int index) {
        return replicas.get(index);
    }

    /** The SpendKey's status as {@code kubectl get spendkey NAME -o yaml} shows it. */
    SpendKeyStatus status(String key) {
        SpendKey spendKey = client.resources(SpendKey.class).inNamespace(NS).withName(key).get();
        return spendKey == null ? null : spendKey.getStatus();
    }

    /** The status once {@code check} holds; fails naming {@code what} and the last status otherwise. */
    SpendKeyStatus awaitStatus(String key, String what, Predicate<SpendKeyStatus> check) {
        return Awaitility.await(key + ": " + what).atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> Optional.ofNullable(status(key)).filter(check).orElse(null), s -> s != null);
    }

    /** The status's figures are decimal USD strings, as kubectl shows them; this reads them back as micro-dollars. */
    static long micros(String usd) {
        return usd == null ? 0 : Money.parseUsd(usd);
    }

    /** What the pods' usage lines say was spent with {@code key}. */
    static long spentMicros(List<SidecarPod> pods, SpendKeyRef key) {
        return pods.stream().mapToLong(p -> p.spentMicros(key)).sum();
    }

    /** The pod's lease on the key that it has not released. */
    static Optional<SpendKeyLease> leaseOf(SpendKeyStatus status, SidecarPod pod) {
        return status.leases().stream().filter(l -> l.holder().equals(pod.name) && !l.released()).findFirst();
    }

    @Override
    public void close() {
        pods.forEach(SidecarPod::close);
        stopOperator();
    }
}
