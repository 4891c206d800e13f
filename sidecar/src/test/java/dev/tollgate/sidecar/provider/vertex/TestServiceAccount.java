package dev.tollgate.sidecar.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** A throwaway service account: a fresh RSA key in Google's JSON key format, and checks of the JWTs it signs. */
final class TestServiceAccount {
    static final String EMAIL = "tollgate-sidecar@my-project.iam.gserviceaccount.com";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeyPair keys;
    private final String tokenUri;

    TestServiceAccount(String tokenUri) {
        this.tokenUri = tokenUri;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key file's JSON, as the console downloads it. */
    String json() {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        return JSON.createObjectNode().put("type", "service_account").put("project_id", "my-project")
                .put("private_key_id", "4f1c2e3d5a6b7c8d9e0f").put("private_key", pem).put("client_email", EMAIL)
                .put("client_id", "104729351826351784512").put("auth_uri", "https://accounts.google.com/o/oauth2/auth")
                .put("token_uri", tokenUri).toString();
    }

    /**
     * Checks a token request the way Google's endpoint does: the JWT-bearer grant, an RS256
     * signature by this account's key, and the claims; returns the claims.
     */
    JsonNode verifyTokenRequest(String formBody) {
        Map<String, String> form = new HashMap<>();
        for (String pair : formBody.split("&")) {
            int eq = pair.indexOf('=');
            form.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        assertThat(form.get("grant_type")).isEqualTo("urn:ietf:params:oauth:grant-type:jwt-bearer");
        String[] jwt = form.get("assertion").split("\\.");
        assertThat(jwt).hasSize(3);
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(keys.getPublic());
            rsa.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
            assertThat(rsa.verify(Base64.getUrlDecoder().decode(jwt[2]))).as("JWT signature").isTrue();
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(jwt[0]));
            assertThat(header.get("alg").asText()).isEqualTo("RS256");
            assertThat(header.get("kid").asText()).isEqualTo("4f1c2e3d5a6b7c8d9e0f");
            JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
            assertThat(claims.get("iss").asText()).isEqualTo(EMAIL);
            assertThat(claims.get("scope").asText()).isEqualTo("https://www.googleapis.com/auth/cloud-platform");
            assertThat(claims.get("aud").asText()).isEqualTo(tokenUri);
            assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(3600);
            return claims;
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
