package dev.tollgate.operator.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * The whole webhook for the {@code tollgate operator} process, on every replica: the HTTPS
 * endpoint on 9443 and the caBundle kept in the MutatingWebhookConfiguration. Each pod is
 * injected with the CA current at its admission and the mode the cluster's version allows.
 */
public final class SidecarInjector implements AutoCloseable {
    /** How often the caBundle is checked; a change of CA is also picked up at this pace. */
    static final Duration CA_BUNDLE_CHECK = Duration.ofSeconds(30);

    private final WebhookServer server;
    private final WebhookCaBundle caBundle;

    private SidecarInjector(WebhookServer server, WebhookCaBundle caBundle) {
        this.server = server;
        this.caBundle = caBundle;
    }

    /**
     * @param settings   image, resources, control URL; its CA and native-sidecar choice are
     *                   replaced per admission by {@code caPem} and the cluster's version
     * @param caPem      the operator's current CA certificate(s), PEM
     * @param sslContext the current serving certificate, asked for on each new connection
     * @param webhookConfiguration the MutatingWebhookConfiguration whose caBundle is kept current
     * @param nativeSidecars       native sidecars by the cluster's version, always, or never
     */
    public static SidecarInjector start(KubernetesClient client, InjectionSettings settings, Supplier<String> caPem,
                                        Supplier<SSLContext> sslContext, String host, int port, String webhookConfiguration,
                                        NativeSidecarMode nativeSidecars) {
        BooleanSupplier nativeMode = nativeSidecars.decider(client);
        AdmissionHandler handler = new AdmissionHandler(
                () -> settings.withControlCaPem(caPem.get()).withNativeSidecars(nativeMode.getAsBoolean()),
                new NamespaceLabels(client, NamespaceLabels.DEFAULT_TTL));
        WebhookServer server = WebhookServer.start(host, port, sslContext, handler);
        try {
            return new SidecarInjector(server, WebhookCaBundle.keep(client, webhookConfiguration, caPem, CA_BUNDLE_CHECK));
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        caBundle.close();
        server.close();
    }
}
