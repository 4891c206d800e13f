package dev.tollgate.sidecar.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryAfterAndSecretsTest {

    @Test
    void retryAfterReadsSecondsAndHttpDates() {
        assertThat(RetryAfter.toMillis(Optional.of("2"))).isEqualTo(2_000);
        assertThat(RetryAfter.toMillis(Optional.of("0.5"))).isEqualTo(500);
        String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
        assertThat(RetryAfter.toMillis(Optional.of(inTenSeconds))).isBetween(8_000L, 10_000L);
        assertThat(RetryAfter.toMillis(Optional.of("soon"))).isNull();
        assertThat(RetryAfter.toMillis(Optional.empty())).isNull();
    }

    @Test
    void keyLikeTextNeverSurvivesScrubbing() {
        String message = "Incorrect API key provided: sk-proj-abcdef123456. Token tg_abcdefghijk leaked; api_key=xyz123 and AIzaSyA1234567890abcdef";
        String scrubbed = Secrets.scrub(message, List.of("my-provider-key-9876"));

        assertThat(scrubbed).doesNotContain("sk-proj-abcdef123456", "tg_abcdefghijk", "xyz123", "AIzaSyA1234567890abcdef")
                .contains("Incorrect API key provided");
        assertThat(Secrets.scrub("echo my-provider-key-9876 back", List.of("my-provider-key-9876"))).isEqualTo("echo [redacted] back");
    }

    @Test
    void credentialsTheSidecarHoldsOrMintsNeverSurviveScrubbing() {
        String accessToken = "ya29.c.b0AXv0zTMh2Yc7ZqT0ExampleAccessToken_-.x";
        String jwt = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJib3RAcHJvamVjdC5pYW0ifQ.c2lnbmF0dXJl-_x";
        String keyId = "ASIAIOSFODNN7EXAMPLE";
        String secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        String sessionToken = "IQoJb3JpZ2luX2VjEHAaCXVzLWVhc3QtMSJHMEUCIQDExampleSessionTokenValue+/AbCdEf0123456789==";
        String pem = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----";
        String message = "bad credential " + accessToken + "; assertion " + jwt + "; key " + keyId + " / " + secretKey
                + "; X-Amz-Security-Token " + sessionToken + "; Authorization: Bearer opaque-value-42; " + pem + " end";

        String scrubbed = Secrets.scrub(message, List.of());

        assertThat(scrubbed).doesNotContain(accessToken, "ya29.", jwt, keyId, secretKey, sessionToken, "opaque-value-42",
                "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC").startsWith("bad credential ").endsWith(" end");
    }
}
