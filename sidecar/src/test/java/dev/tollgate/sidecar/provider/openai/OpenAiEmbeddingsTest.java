package dev.tollgate.sidecar.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.EmbeddingsRequest;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenAiEmbeddingsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ProviderConfig OPENAI = new ProviderConfig("ai/openai", "openai", null, "sk-test-key-0123456789",
            null, Map.of("OpenAI-Organization", "org-1"), null, null);

    private final ApiAdapter<EmbeddingsRequest> embeddings = new OpenAiAdapter().embeddings("text-embedding-3-small").orElseThrow();

    private static EmbeddingsRequest request(String json) {
        return EmbeddingsRequest.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void requestGoesToTheEmbeddingsUrlWithTheUpstreamModelAndEverythingElseAsSent() throws Exception {
        EmbeddingsRequest request = request("""
                {"model":"embed","input":["The food was delicious","and the waiter..."],"dimensions":256,
                 "encoding_format":"float","user":"u-42"}""");

        UpstreamRequest sent = embeddings.request(request, "text-embedding-3-small", OPENAI);

        assertThat(sent.uri()).hasToString("https://api.openai.com/v1/embeddings");
        assertThat(sent.headers()).containsExactlyInAnyOrderEntriesOf(Map.of("OpenAI-Organization", "org-1",
                "Content-Type", "application/json", "Accept", "application/json",
                "Authorization", "Bearer sk-test-key-0123456789"));
        assertThat(JSON.readTree(sent.body())).isEqualTo(JSON.readTree("""
                {"model":"text-embedding-3-small","input":["The food was delicious","and the waiter..."],"dimensions":256,
                 "encoding_format":"float","user":"u-42"}"""));
        assertThat(request.body().get("model").asText()).as("the client's request is not changed").isEqualTo("embed");
    }

    @Test
    void answerPassesThroughAndPromptTokensAreTheInput() throws Exception {
        byte[] body = Fixtures.read("openai/embeddings.json").getBytes(StandardCharsets.UTF_8);

        TranslatedAnswer answer = embeddings.answer(body, request("{\"model\":\"embed\",\"input\":\"hi\"}"));

        assertThat(answer.clientBody()).isEqualTo(body);
        assertThat(answer.usage()).isEqualTo(new Usage(8, 0, 0, 0, 0));
        assertThat(answer.responseModel()).isEqualTo("text-embedding-3-small");
        assertThat(answer.outputText()).isEmpty();
    }

    @Test
    void anAnswerWithoutDataIsRejectedAndOneWithoutUsageHasNone() {
        EmbeddingsRequest request = request("{\"model\":\"embed\",\"input\":\"hi\"}");
        assertThatThrownBy(() -> embeddings.answer("{\"object\":\"list\"}".getBytes(StandardCharsets.UTF_8), request))
                .isInstanceOf(InvalidUpstreamResponse.class).hasMessageContaining("'data'");
        JsonNode noUsage = JSON.createObjectNode().put("object", "list").set("data", JSON.createArrayNode());
        assertThat(embeddings.answer(noUsage.toString().getBytes(StandardCharsets.UTF_8), request).usage()).isNull();
    }
}
