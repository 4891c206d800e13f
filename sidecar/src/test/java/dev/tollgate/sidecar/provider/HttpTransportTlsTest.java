package dev.tollgate.sidecar.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import dev.tollgate.sidecar.testing.Exchanges;
import dev.tollgate.sidecar.testing.IoThreads;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider's TLS certificate must name the host the sidecar called: the JDK's own check (HTTPS
 * endpoint identification) does it. Certificates from keytool.
 */
class HttpTransportTlsTest {
    private static final String PASSWORD = "test-only";
    private static final byte[] BODY = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private final AtomicInteger served = new AtomicInteger();
    private HttpsServer provider;
    private final IoThreads io = new IoThreads(1);

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.stop(0);
        }
        io.close();
    }

    @Test
    void aCertificateForTheHostCalledIsAccepted() throws Exception {
        KeyStore certificate = certificateFor("ip:127.0.0.1");
        URI uri = serve(certificate);

        try (HttpTransport http = new HttpTransport(io.worker(), io.buffers(), Duration.ofSeconds(5), 2, trusting(certificate), HttpTransport.IDLE_MS)) {
            Exchanges.Answer answer = Exchanges.call(http, new UpstreamRequest(uri, Map.of(), BODY));
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).isEqualTo("{\"ok\":true}");
        }
        assertThat(served).hasValue(1);
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefusedBeforeTheRequestIsSent() throws Exception {
        KeyStore certificate = certificateFor("dns:provider.example");
        URI uri = serve(certificate);

        try (HttpTransport http = new HttpTransport(io.worker(), io.buffers(), Duration.ofSeconds(5), 2, trusting(certificate), HttpTransport.IDLE_MS)) {
            assertThatThrownBy(() -> Exchanges.call(http, new UpstreamRequest(uri, Map.of(), BODY)))
                    .isInstanceOf(SSLHandshakeException.class);
        }
        assertThat(served).hasValue(0);
    }

    /** A self-signed certificate whose only subject alternative name is {@code san}, with its key. */
    private KeyStore certificateFor(String san) throws Exception {
        Path file = dir.resolve("provider.p12");
        Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "provider", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=provider",
                "-ext", "SAN=" + san, "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    private URI serve(KeyStore certificate) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(certificate, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keys.getKeyManagers(), null, null);
        provider = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.setHttpsConfigurator(new HttpsConfigurator(tls));
        provider.createContext("/", exchange -> {
            served.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] answer = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        provider.start();
        return URI.create("https://127.0.0.1:" + provider.getAddress().getPort() + "/v1/chat/completions");
    }

    /** The client's trust: this certificate only, as if a private CA had issued it. */
    private static SSLContext trusting(KeyStore certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("provider", certificate.getCertificate("provider"));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers.getTrustManagers(), null);
        return tls;
    }
}
