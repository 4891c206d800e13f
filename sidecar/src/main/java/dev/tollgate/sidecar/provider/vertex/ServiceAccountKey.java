package dev.tollgate.sidecar.provider.vertex;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.provider.UpstreamJson;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * A Google service-account JSON key: who signs ({@code client_email}), with what ({@code private_key},
 * PEM PKCS#8 RSA) and where the signed assertion is exchanged for an access token ({@code token_uri}).
 */
public record ServiceAccountKey(String clientEmail, String privateKeyId, PrivateKey privateKey, String tokenUri) {
    /** Google's token endpoint, for keys that name none. */
    static final String DEFAULT_TOKEN_URI = "https://oauth2.googleapis.com/token";

    /**
     * Parses a key file's JSON. Throws IllegalArgumentException with a message that names the
     * missing or broken field and never quotes the key (a JSON parser's message would).
     */
    public static ServiceAccountKey parse(String json) {
        JsonNode key;
        try {
            key = json == null ? null : UpstreamJson.MAPPER.readTree(json);
        } catch (IOException e) {
            key = null;
        }
        if (key == null || !key.isObject()) {
            throw new IllegalArgumentException("the service-account key is not a JSON object");
        }
        String email = key.path("client_email").textValue();
        String pem = key.path("private_key").textValue();
        if (email == null || email.isBlank()) {
            throw new IllegalArgumentException("the service-account key has no 'client_email'");
        }
        if (pem == null || !pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException("the service-account key has no PEM PKCS#8 'private_key'");
        }
        String tokenUri = key.path("token_uri").asText(DEFAULT_TOKEN_URI);
        if (!tokenUri.startsWith("https://") && !tokenUri.startsWith("http://")) {
            throw new IllegalArgumentException("the service-account key's 'token_uri' is not an http(s) URL");
        }
        return new ServiceAccountKey(email, key.path("private_key_id").textValue(), rsaKey(pem), tokenUri);
    }

    private static PrivateKey rsaKey(String pem) {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the service-account key's 'private_key' is not an RSA key");
        }
    }

    @Override
    public String toString() {
        // Records print every component; the private key must never be one of them.
        return "ServiceAccountKey[" + clientEmail + "]";
    }
}
