package dev.tollgate.operator.certs;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contents of Secret {@code tollgate-operator-tls}, as PEM text. Without {@code caKey} the
 * Secret is provided by someone else (cert-manager) and only read. Never printed.
 */
record TlsMaterial(String caCrt, String caKey, String tlsCrt, String tlsKey) {
    static final String CA_CRT = "ca.crt";
    static final String CA_KEY = "ca.key";
    static final String TLS_CRT = "tls.crt";
    static final String TLS_KEY = "tls.key";

    static TlsMaterial of(CertificateIssuer.Issued ca, CertificateIssuer.Issued serving) {
        return new TlsMaterial(Pem.encode(ca.certificate()), Pem.encode(ca.keys().getPrivate()),
                Pem.encode(serving.certificate()), Pem.encode(serving.keys().getPrivate()));
    }

    /** What the Secret holds; throws naming the missing key when it cannot serve TLS. */
    static TlsMaterial fromSecret(Secret secret) {
        Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
        String name = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
        for (String key : List.of(CA_CRT, TLS_CRT, TLS_KEY)) {
            if (data.get(key) == null || data.get(key).isBlank()) {
                throw new IllegalArgumentException("Secret " + name + " has no '" + key + "'");
            }
        }
        return new TlsMaterial(decode(data.get(CA_CRT)), data.get(CA_KEY) == null ? null : decode(data.get(CA_KEY)),
                decode(data.get(TLS_CRT)), decode(data.get(TLS_KEY)));
    }

    /** {@code data} of the Secret: base64 values, as the API server stores them. */
    Map<String, String> secretData() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(CA_CRT, encode(caCrt));
        if (caKey != null) {
            data.put(CA_KEY, encode(caKey));
        }
        data.put(TLS_CRT, encode(tlsCrt));
        data.put(TLS_KEY, encode(tlsKey));
        return data;
    }

    /** The operator holds the CA key, so it may issue serving certificates itself. */
    boolean canIssue() {
        return caKey != null;
    }

    CertificateIssuer.Issued ca() {
        X509Certificate certificate = Pem.certificates(caCrt).get(0);
        return new CertificateIssuer.Issued(certificate, new KeyPair(certificate.getPublicKey(), Pem.privateKey(caKey)));
    }

    X509Certificate serving() {
        return Pem.certificates(tlsCrt).get(0);
    }

    TlsMaterial withServing(CertificateIssuer.Issued serving) {
        return new TlsMaterial(caCrt, caKey, Pem.encode(serving.certificate()), Pem.encode(serving.keys().getPrivate()));
    }

    private static String decode(String base64) {
        return new String(Base64.getMimeDecoder().decode(base64), StandardCharsets.US_ASCII);
    }

    private static String encode(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "TlsMaterial[serving " + serving().getSerialNumber().toString(16) + ", CA key " + (canIssue() ? "held" : "absent") + "]";
    }
}
