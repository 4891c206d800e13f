package dev.tollgate.sidecar.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Vectors of AWS's SigV4 test suite (aws-sig-v4-test-suite: credentials AKIDEXAMPLE, region
 * us-east-1, service "service", 2015-08-30T12:36:00Z), reproduced step by step.
 */
class SigV4SignerTest {
    static final Clock SUITE_TIME = Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC);
    static final String SUITE_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final String SESSION_TOKEN = "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWH"
            + "GBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDY"
            + "wT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8f"
            + "POLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String SCOPE = "20150830/us-east-1/service/aws4_request";
    private static final String CREDENTIAL = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/" + SCOPE;

    private final SigV4Signer suite = new SigV4Signer("AKIDEXAMPLE", SUITE_SECRET, null, "us-east-1", "service", SUITE_TIME);

    @Test
    void getVanilla() {
        SigV4Signer.Signature s = suite.sign("GET", URI.create("https://example.amazonaws.com/"), Map.of(), new byte[0]);

        assertThat(s.canonicalRequest()).isEqualTo(String.join("\n", "GET", "/", "",
                "host:example.amazonaws.com", "x-amz-date:20150830T123600Z", "", "host;x-amz-date", EMPTY_SHA256));
        assertThat(s.stringToSign()).isEqualTo(String.join("\n", "AWS4-HMAC-SHA256", "20150830T123600Z", SCOPE,
                "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"));
        assertThat(s.authorization()).isEqualTo(CREDENTIAL
                + ", SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
        assertThat(s.headersToAdd()).containsOnlyKeys("X-Amz-Date", "Authorization")
                .containsEntry("X-Amz-Date", "20150830T123600Z");
    }

    @Test
    void getVanillaQueryOrderKeyCase() {
        SigV4Signer.Signature s = suite.sign("GET", URI.create("https://example.amazonaws.com/?Param2=value2&Param1=value1"),
                Map.of(), new byte[0]);

        assertThat(s.canonicalRequest()).isEqualTo(String.join("\n", "GET", "/", "Param1=value1&Param2=value2",
                "host:example.amazonaws.com", "x-amz-date:20150830T123600Z", "", "host;x-amz-date", EMPTY_SHA256));
        assertThat(s.stringToSign()).endsWith("\n816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0");
        assertThat(s.authorization()).isEqualTo(CREDENTIAL
                + ", SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
    }

    @Test
    void postVanilla() {
        SigV4Signer.Signature s = suite.sign("POST", URI.create("https://example.amazonaws.com/"), Map.of(), new byte[0]);

        assertThat(s.canonicalRequest()).isEqualTo(String.join("\n", "POST", "/", "",
                "host:example.amazonaws.com", "x-amz-date:20150830T123600Z", "", "host;x-amz-date", EMPTY_SHA256));
        assertThat(s.stringToSign()).endsWith("\n553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87");
        assertThat(s.authorization()).isEqualTo(CREDENTIAL
                + ", SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
    }

    @Test
    void postXWwwFormUrlencoded() {
        SigV4Signer.Signature s = suite.sign("POST", URI.create("https://example.amazonaws.com/"),
                Map.of("Content-Type", "application/x-www-form-urlencoded"), "Param1=value1".getBytes(StandardCharsets.UTF_8));

        assertThat(s.canonicalRequest()).isEqualTo(String.join("\n", "POST", "/", "",
                "content-type:application/x-www-form-urlencoded", "host:example.amazonaws.com",
                "x-amz-date:20150830T123600Z", "", "content-type;host;x-amz-date",
                "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"));
        assertThat(s.stringToSign()).isEqualTo(String.join("\n", "AWS4-HMAC-SHA256", "20150830T123600Z", SCOPE,
                "42a5e5bb34198acb3e84da4f085bb7927f2bc277ca766e6d19c73c2154021281"));
        assertThat(s.authorization()).isEqualTo(CREDENTIAL + ", SignedHeaders=content-type;host;x-amz-date,"
                + " Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
    }

    @Test
    void postStsHeaderAfterSignsTheSessionToken() {
        SigV4Signer temporary = new SigV4Signer("AKIDEXAMPLE", SUITE_SECRET, SESSION_TOKEN, "us-east-1", "service", SUITE_TIME);

        SigV4Signer.Signature s = temporary.sign("POST", URI.create("https://example.amazonaws.com/"), Map.of(), new byte[0]);

        assertThat(s.stringToSign()).endsWith("\nc237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6");
        assertThat(s.authorization()).isEqualTo(CREDENTIAL + ", SignedHeaders=host;x-amz-date;x-amz-security-token,"
                + " Signature=85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead");
        assertThat(s.headersToAdd()).containsEntry("X-Amz-Security-Token", SESSION_TOKEN);
        assertThat(s.toString()).doesNotContain(SESSION_TOKEN).doesNotContain("Signature=");
    }

    @Test
    void aBedrockModelIdIsEncodedAgainInTheCanonicalPath() {
        SigV4Signer bedrock = new SigV4Signer("AKIDEXAMPLE", SUITE_SECRET, null, "us-east-1", "bedrock", SUITE_TIME);
        URI uri = URI.create("https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
        byte[] body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hello\"}]}]}".getBytes(StandardCharsets.UTF_8);

        SigV4Signer.Signature s = bedrock.sign("POST", uri, Map.of("Content-Type", "application/json"), body);

        assertThat(s.canonicalRequest().split("\n")).containsExactly(
                "POST",
                "/model/anthropic.claude-3-haiku-20240307-v1%253A0/converse",
                "",
                "content-type:application/json",
                "host:bedrock-runtime.us-east-1.amazonaws.com",
                "x-amz-date:20150830T123600Z",
                "",
                "content-type;host;x-amz-date",
                BedrockTestSupport.sha256Hex(body));
        assertThat(s.stringToSign()).startsWith("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/bedrock/aws4_request\n");
        assertThat(s.authorization()).matches("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request,"
                + " SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}");
    }

    @Test
    void aNonDefaultPortIsPartOfTheHostAndHeaderValuesAreTrimmed() {
        SigV4Signer.Signature s = suite.sign("POST", URI.create("http://127.0.0.1:8080/a%20b"),
                Map.of("X-Note", "  one   two  "), new byte[0]);

        assertThat(s.canonicalRequest().split("\n")).contains("/a%2520b", "host:127.0.0.1:8080", "x-note:one two");
    }
}
