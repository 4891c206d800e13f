package dev.tollgate.operator.certs;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.tollgate.sidecar.control.CaTrust;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class OperatorCertificatesTest {
    private static final String NS = "tollgate-system";

    KubernetesMockServer server;
    KubernetesClient client;

    private static CertificateSettings settings(Clock clock) {
        return CertificateSettings.defaults(NS, "tollgate-operator").withClock(clock);
    }

    @Test
    void theFirstReplicaCreatesTheSecretAndTheSecondUsesTheSameCertificates() throws Exception {
        OperatorCertificates first = OperatorCertificates.load(client, settings(Clock.systemUTC()));
        OperatorCertificates second = OperatorCertificates.load(client, settings(Clock.systemUTC()));

        Secret secret = client.secrets().inNamespace(NS).withName("tollgate-operator-tls").get();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.getData()).containsOnlyKeys("ca.crt", "ca.key", "tls.crt", "tls.key");
        assertThat(second.caPem()).isEqualTo(first.caPem());
        assertThat(second.servingCertificate()).isEqualTo(first.servingCertificate());

        X509Certificate ca = certificate(first.caPem());
        X509Certificate serving = first.servingCertificate();
        serving.verify(ca.getPublicKey());
        assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(serving.getSubjectAlternativeNames()).extracting(name -> (Object) name.get(1)).containsExactly(
                "tollgate-operator", "tollgate-operator.tollgate-system", "tollgate-operator.tollgate-system.svc",
                "tollgate-operator.tollgate-system.svc.cluster.local");
        assertThat(Duration.between(Instant.now(), serving.getNotAfter().toInstant())).isBetween(Duration.ofDays(364), Duration.ofDays(366));
        assertThat(Duration.between(Instant.now(), ca.getNotAfter().toInstant())).isGreaterThan(Duration.ofDays(4 * 365));
        assertThat(first.toString()).doesNotContain("PRIVATE");
    }

    @Test
    void aServingCertificateCloseToExpiryIsRenewedUnderTheSameCaAndServedWithoutARestart() throws Exception {
        // Issued 340 days ago: 25 days left, inside the 30-day renewal window.
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(340)), ZoneOffset.UTC);
        CertificateSettings localhost = new CertificateSettings(NS, "localhost", "tollgate-operator-tls",
                Duration.ofDays(5 * 365), Duration.ofDays(365), Duration.ofDays(30), Duration.ofHours(1), past);
        OperatorCertificates running = OperatorCertificates.load(client, localhost);
        BigInteger oldSerial = running.servingCertificate().getSerialNumber();
        HttpsServer https = serve(running.sslContext());
        try {
            assertThat(servedSerial(https, running.caPem())).isEqualTo(oldSerial);

            // Another replica starts today, finds 25 days left and renews.
            OperatorCertificates today = OperatorCertificates.load(client, localhost.withClock(Clock.systemUTC()));
            assertThat(today.caPem()).isEqualTo(running.caPem());
            assertThat(today.servingCertificate().getSerialNumber()).isNotEqualTo(oldSerial);
            assertThat(today.servingCertificate().getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(364)));

            // The running replica's periodic check picks the new certificate up; its listener serves it.
            running.check();
            assertThat(servedSerial(https, running.caPem())).isEqualTo(today.servingCertificate().getSerialNumber());
        } finally {
            https.stop(0);
        }
    }

    @Test
    void aServingCertificateRenewedLateInItsCasLifeEndsWithTheCa() throws Exception {
        // A CA with 60 days left, and a serving certificate with 10: a replica starting today renews it.
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(355)), ZoneOffset.UTC);
        CertificateIssuer issuer = new CertificateIssuer(past);
        CertificateIssuer.Issued ca = issuer.certificateAuthority("tollgate-operator-ca", Duration.ofDays(415));
        TlsMaterial existing = TlsMaterial.of(ca, issuer.serving(ca, List.of("tollgate-operator"), Duration.ofDays(365)));
        storeTlsSecret(existing);

        OperatorCertificates today = OperatorCertificates.load(client, settings(Clock.systemUTC()));

        X509Certificate renewed = today.servingCertificate();
        assertThat(renewed.getSerialNumber()).isNotEqualTo(existing.serving().getSerialNumber());
        assertThat(renewed.getNotAfter()).as("not the full year: no client trusts it past its CA")
                .isEqualTo(ca.certificate().getNotAfter());
        renewed.verify(ca.certificate().getPublicKey());
    }

    @Test
    void aSecretWithoutCaKeyIsOnlyReadNeverWritten() throws Exception {
        // What cert-manager writes: no ca.key, and a serving certificate about to expire.
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofDays(360)), ZoneOffset.UTC);
        CertificateIssuer issuer = new CertificateIssuer(past);
        CertificateIssuer.Issued ca = issuer.certificateAuthority("cert-manager-ca", Duration.ofDays(3650));
        TlsMaterial provided = TlsMaterial.of(ca, issuer.serving(ca, List.of("tollgate-operator"), Duration.ofDays(365)));
        storeTlsSecret(new TlsMaterial(provided.caCrt(), null, provided.tlsCrt(), provided.tlsKey()));
        String versionBefore = client.secrets().inNamespace(NS).withName("tollgate-operator-tls").get().getMetadata().getResourceVersion();

        OperatorCertificates certificates = OperatorCertificates.load(client, settings(Clock.systemUTC()));

        assertThat(certificates.caPem()).isEqualTo(provided.caCrt());
        assertThat(certificates.servingCertificate()).isEqualTo(provided.serving());
        Secret after = client.secrets().inNamespace(NS).withName("tollgate-operator-tls").get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(versionBefore);
        assertThat(after.getData()).doesNotContainKey("ca.key");
    }

    /** The Secret the replicas share, as another replica (or cert-manager) left it. */
    private void storeTlsSecret(TlsMaterial material) {
        client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName("tollgate-operator-tls")
                .endMetadata().withType("kubernetes.io/tls").withData(material.secretData()).build()).create();
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static HttpsServer serve(SSLContext context) throws Exception {
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(context));
        https.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        https.start();
        return https;
    }

    /** The serial of the certificate a fresh client (trusting only {@code caPem}) is shown. */
    private static BigInteger servedSerial(HttpsServer https, String caPem) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(CaTrust.sslContext(caPem)).connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + https.getAddress().getPort() + "/")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(204);
        return ((X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
    }
}
