package dev.tollgate.sidecar.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.sidecar.config.ConfigJson;
import org.junit.jupiter.api.Test;

class TokenCounterTest {
    private final TokenCounter counter = TokenCounter.shared();

    @Test
    void theUpperBoundNeverCountsFewerTokensThanTheTokenizer() throws Exception {
        String[] texts = {"hello world", "  spaces   and\ttabs\n", "ünïcödé 日本語のテキスト 🙂🙂", "x".repeat(5000),
                "def f(x):\n    return [i * i for i in range(x)]", "<|endoftext|> special"};
        for (String text : texts) {
            assertThat(TokenCounter.upperBound().count(text)).as(text)
                    .isGreaterThanOrEqualTo(TokenCounter.shared().count(text))
                    .isEqualTo(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
        com.fasterxml.jackson.databind.JsonNode body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"日本語で答えて 🙂\"}]}");
        assertThat(TokenCounter.upperBound().estimatePromptTokens(body))
                .isGreaterThanOrEqualTo(TokenCounter.shared().estimatePromptTokens(body));
    }

    @Test
    void longRunsAreCountedInPiecesThatChangeNoCountOfWords() {
        com.knuddels.jtokkit.api.Encoding o200k = com.knuddels.jtokkit.Encodings.newDefaultEncodingRegistry()
                .getEncoding(com.knuddels.jtokkit.api.EncodingType.O200K_BASE);
        String prose = "The sidecar meters every request, streamed or not, and settles its reservation. ".repeat(2_000);
        String code = "for (int i = 0; i < n; i++) { total += prices[i] * tokens[i]; }\n".repeat(1_000);
        for (String text : new String[]{prose, code, "ünïcödé 日本語のテキスト 🙂🙂 ".repeat(500)}) {
            assertThat(counter.count(text)).isEqualTo(o200k.countTokensOrdinary(text));
        }
        // One run of a hundred thousand characters (a base64 blob, a provider repeating one letter): 1,563 pieces.
        for (String run : new String[]{"w".repeat(100_000), "QUJD".repeat(25_000), "🙂".repeat(50_000)}) {
            int exact = o200k.countTokensOrdinary(run);
            assertThat(counter.count(run)).as(run.substring(0, 8)).isBetween(exact - 1_563, exact + 1_563);
        }
    }

    @Test
    void countsO200kTokensOfKnownStrings() {
        // Expected values are o200k_base encodings, e.g. "hello world" = [24912, 2375].
        assertThat(counter.count("hello world")).isEqualTo(2);
        assertThat(counter.count("Hello, world!")).isEqualTo(4);
        assertThat(counter.count("tiktoken is great!")).isEqualTo(6);
        assertThat(counter.count("The quick brown fox jumps over the lazy dog.")).isEqualTo(10);
        assertThat(counter.count("Grüße aus Köln 👋")).isEqualTo(7);
        assertThat(counter.count("")).isZero();
    }

    @Test
    void specialTokenMarkupInUserTextIsOrdinaryText() {
        assertThat(counter.count("<|endoftext|>")).isEqualTo(7);
    }

    @Test
    void estimateFollowsOpenAisPerMessageRecipe() {
        JsonNode body = json("""
                {"model":"gpt-4o","messages":[
                  {"role":"system","content":"You are a helpful assistant."},
                  {"role":"user","content":"What is the capital of France?"}]}""");
        // 3 priming + per message (3 + role + content): (3 + 1 + 6) + (3 + 1 + 7)
        assertThat(counter.estimatePromptTokens(body)).isEqualTo(3 + 10 + 11);
    }

    @Test
    void estimateIsAtLeastTheMessageContents() {
        String question = "The quick brown fox jumps over the lazy dog.";
        JsonNode body = json("""
                {"messages":[
                  {"role":"user","name":"alice","content":[{"type":"text","text":"%s"},
                    {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}}]},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                    "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"sunny"}],
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}"""
                .formatted(question));
        long contents = counter.count(question) + counter.count("sunny");
        long estimate = counter.estimatePromptTokens(body);
        assertThat(estimate).isGreaterThanOrEqualTo(contents + 85 + counter.count("alice") + 1);
        assertThat(estimate).isGreaterThan(counter.estimatePromptTokens(json("""
                {"messages":[{"role":"user","content":"%s"},{"role":"tool","content":"sunny"}]}""".formatted(question))));
    }

    @Test
    void imagesCountAFixedAmountByDetail() {
        long low = counter.estimatePromptTokens(json("""
                {"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/y.png","detail":"low"}}]}]}"""));
        long high = counter.estimatePromptTokens(json("""
                {"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}]}"""));
        long empty = counter.estimatePromptTokens(json("""
                {"messages":[{"role":"user","content":[]}]}"""));
        assertThat(low - empty).isEqualTo(85);
        assertThat(high - empty).isEqualTo(85 + 8 * 170);
    }

    @Test
    void aBodyWithoutMessagesIsRejected() {
        assertThatThrownBy(() -> counter.estimatePromptTokens(json("{\"prompt\":\"hi\"}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("messages: required list");
        assertThatThrownBy(() -> counter.estimatePromptTokens(json("{\"messages\":[\"hi\"]}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("messages[0]: must be an object");
    }

    private static JsonNode json(String text) {
        try {
            return ConfigJson.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
