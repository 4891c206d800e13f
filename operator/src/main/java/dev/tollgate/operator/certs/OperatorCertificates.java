package dev.tollgate.operator.certs;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's CA and serving certificate, kept in one Secret so every replica serves the same
 * and sidecars trust one CA. The first replica creates it; a replica that loses the race reads the
 * winner's. A serving certificate near expiry is re-issued under the same CA and used by running
 * servers from the next handshake on. A Secret without {@code ca.key} comes from cert-manager: it
 * is only read, never written.
 */
public final class OperatorCertificates implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorCertificates.class);
    /** Bounded: each round re-reads the Secret, so a lost race always ends with the winner's material. */
    private static final int ATTEMPTS = 5;

    private final KubernetesClient client;
    private final CertificateSettings settings;
    private final CertificateIssuer issuer;
    private final ReloadingKeyManager keyManager = new ReloadingKeyManager();
    private final SSLContext sslContext;
    private final AtomicReference<TlsMaterial> material = new AtomicReference<>();
    private ScheduledExecutorService checks;

    private OperatorCertificates(KubernetesClient client, CertificateSettings settings) {
        this.client = client;
        this.settings = settings;
        this.issuer = new CertificateIssuer(settings.clock());
        try {
            sslContext = SSLContext.getInstance("TLS");
            sslContext.init(new KeyManager[] {keyManager}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }

    /** Reads (or creates, or renews) the Secret and is ready to serve TLS; {@link #start()} keeps it current. */
    public static OperatorCertificates load(KubernetesClient client, CertificateSettings settings) {
        OperatorCertificates certificates = new OperatorCertificates(client, settings);
        certificates.check();
        return certificates;
    }

    /** Checks the Secret every {@code checkInterval} from now on. */
    public synchronized void start() {
        if (checks != null) {
            return;
        }
        checks = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "tollgate-certificates");
            thread.setDaemon(true);
            return thread;
        });
        long interval = settings.checkInterval().toMillis();
        checks.scheduleWithFixedDelay(this::checkQuietly, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** For HTTPS listeners: always presents the current serving certificate. */
    public SSLContext sslContext() {
        return sslContext;
    }

    /** The CA certificate(s), PEM: the webhook's caBundle and the sidecars' {@code TOLLGATE_CONTROL_CA}. */
    public String caPem() {
        return material.get().caCrt();
    }

    public X509Certificate servingCertificate() {
        return material.get().serving();
    }

    /**
     * Re-reads the Secret, renews the serving certificate when it is close to expiry (or names other
     * hosts), and uses what the Secret now holds. (The webhook keeps its caBundle itself, from {@link #caPem()}.)
     */
    public synchronized void check() {
        TlsMaterial current = ensureSecret();
        TlsMaterial before = material.getAndSet(current);
        if (!current.equals(before)) {
            keyManager.use(current);
            LOG.info("serving certificate {} valid until {}", current.serving().getSerialNumber().toString(16),
                    current.serving().getNotAfter().toInstant());
        }
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            // The certificate in use stays valid for weeks; the next check tries again.
            LOG.warn("certificate check failed: {}", e.getMessage());
        }
    }

    private TlsMaterial ensureSecret() {
        Resource<Secret> resource = client.secrets().inNamespace(settings.namespace()).withName(settings.secretName());
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Secret secret = resource.get();
            try {
                if (secret == null) {
                    return create();
                }
                TlsMaterial found = TlsMaterial.fromSecret(secret);
                if (!found.canIssue() || !needsNewServing(found)) {
                    return found;
                }
                return renew(secret, found);
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                LOG.info("another replica wrote Secret {}/{} first; reading theirs", settings.namespace(), settings.secretName());
            }
        }
        throw new IllegalStateException("Secret " + settings.namespace() + "/" + settings.secretName()
                + " kept changing under " + ATTEMPTS + " attempts to read it");
    }

    private TlsMaterial create() {
        CertificateIssuer.Issued ca = issuer.certificateAuthority("tollgate-operator-ca", settings.caLifetime());
        TlsMaterial created = TlsMaterial.of(ca, issuer.serving(ca, settings.dnsNames(), settings.servingLifetime()));
        client.secrets().inNamespace(settings.namespace()).resource(new SecretBuilder()
                .withNewMetadata().withName(settings.secretName()).withNamespace(settings.namespace())
                .addToLabels("app.kubernetes.io/managed-by", "tollgate-operator").endMetadata()
                .withType("kubernetes.io/tls")
                .withData(created.secretData())
                .build()).create();
        LOG.info("created CA and serving certificate in Secret {}/{}", settings.namespace(), settings.secretName());
        return created;
    }

    /** Replaces the serving certificate if nobody changed the Secret since it was read (resourceVersion). */
    private TlsMaterial renew(Secret secret, TlsMaterial found) {
        TlsMaterial renewed = found.withServing(issuer.serving(found.ca(), settings.dnsNames(), settings.servingLifetime()));
        client.secrets().inNamespace(settings.namespace()).resource(new SecretBuilder(secret).withData(renewed.secretData()).build())
                .update();
        LOG.info("renewed the serving certificate in Secret {}/{}", settings.namespace(), settings.secretName());
        return renewed;
    }

    private boolean needsNewServing(TlsMaterial found) {
        X509Certificate serving = found.serving();
        Instant renewAt = serving.getNotAfter().toInstant().minus(settings.renewBefore());
        return !settings.clock().instant().isBefore(renewAt) || !dnsNames(serving).containsAll(settings.dnsNames());
    }

    private static Set<String> dnsNames(X509Certificate certificate) {
        Set<String> names = new HashSet<>();
        try {
            if (certificate.getSubjectAlternativeNames() != null) {
                for (List<?> name : certificate.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(name.get(0))) { // 2 = dNSName (RFC 5280)
                        names.add((String) name.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return Set.of();
        }
        return names;
    }

    @Override
    public synchronized void close() {
        if (checks != null) {
            checks.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "OperatorCertificates[" + settings.namespace() + "/" + settings.secretName() + "]";
    }
}
