package dev.tollgate.sidecar.provider.vertex;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.provider.UpstreamJson;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The self-signed JWT a service account presents to Google's token endpoint (RFC 7523, RS256):
 * issued by the account, for the Cloud Platform scope, addressed to the token URI, valid one hour.
 */
final class SignedJwt {
    static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    private static final Duration LIFETIME = Duration.ofHours(1);
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private SignedJwt() {
    }

    static String assertion(ServiceAccountKey key, Instant now) {
        ObjectNode header = UpstreamJson.MAPPER.createObjectNode().put("alg", "RS256").put("typ", "JWT");
        if (key.privateKeyId() != null) {
            header.put("kid", key.privateKeyId());
        }
        ObjectNode claims = UpstreamJson.MAPPER.createObjectNode()
                .put("iss", key.clientEmail())
                .put("scope", SCOPE)
                .put("aud", key.tokenUri())
                .put("iat", now.getEpochSecond())
                .put("exp", now.plus(LIFETIME).getEpochSecond());
        String signingInput = BASE64URL.encodeToString(UpstreamJson.toBytes(header)) + "."
                + BASE64URL.encodeToString(UpstreamJson.toBytes(claims));
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initSign(key.privateKey());
            rsa.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + BASE64URL.encodeToString(rsa.sign());
        } catch (GeneralSecurityException e) {
            // Every JDK has SHA256withRSA, and the key was parsed as RSA.
            throw new IllegalStateException("signing the service-account assertion failed: " + e.getClass().getSimpleName());
        }
    }
}
