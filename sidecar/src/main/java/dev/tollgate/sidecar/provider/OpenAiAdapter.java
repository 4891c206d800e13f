package dev.tollgate.sidecar.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.metering.Usage;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * OpenAI's chat-completions API, spoken by OpenAI and every OpenAI-compatible provider. Requests
 * and answers pass through unchanged but for the model name and the usage chunk the gateway asks for.
 */
public final class OpenAiAdapter implements ProviderAdapter {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    @Override
    public UpstreamRequest chatRequest(ChatRequest request, String upstreamModel, ProviderConfig provider) {
        ObjectNode body = request.body().deepCopy();
        body.put("model", upstreamModel);
        if (request.stream()) {
            // Metering needs the usage chunk even when the client did not ask for it (it is dropped then).
            ObjectNode options = body.withObjectProperty("stream_options");
            options.put("include_usage", true);
        }
        Map<String, String> headers = new LinkedHashMap<>(provider.headers());
        headers.put("Content-Type", "application/json");
        headers.put("Accept", request.stream() ? "text/event-stream" : "application/json");
        if (provider.apiKey() != null && !provider.apiKey().isEmpty()) {
            headers.put("Authorization", "Bearer " + provider.apiKey());
        }
        URI uri = URI.create(provider.effectiveBaseUrl() + "/chat/completions");
        return new UpstreamRequest(uri, headers, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public ChatAnswer chatAnswer(byte[] body) {
        JsonNode tree = parseObject(body);
        if (!tree.has("choices")) {
            throw new InvalidUpstreamResponse("the provider's answer has no 'choices'");
        }
        Usage usage = usageOf(tree.get("usage"));
        StringBuilder text = new StringBuilder();
        if (usage == null) {
            for (JsonNode choice : tree.get("choices")) {
                text.append(choice.path("message").path("content").asText(""));
            }
        }
        return new ChatAnswer(body, usage, tree.path("model").textValue(), text);
    }

    @Override
    public StreamTranslator streamTranslator(ChatRequest request) {
        return new PassThroughStream(request.clientWantsUsage());
    }

    @Override
    public UpstreamFailure failure(int status, Optional<String> retryAfter, byte[] body, ProviderConfig provider) {
        String detail = Secrets.scrub(errorMessage(body), provider.apiKey());
        Long retryAfterMs = RetryAfter.toMillis(retryAfter);
        if (status == 401 || status == 403) {
            return new UpstreamFailure(FailureClass.SERVER_ERROR, status, null,
                    "provider '" + provider.id() + "' rejected the gateway's credentials (upstream status " + status + ")");
        }
        FailureClass kind = status == 429 ? FailureClass.RATE_LIMITED
                : status == 408 ? FailureClass.TIMEOUT
                : status >= 500 ? FailureClass.SERVER_ERROR
                : FailureClass.CLIENT_ERROR;
        return new UpstreamFailure(kind, status, retryAfterMs, detail == null ? "upstream status " + status : detail);
    }

    /** OpenAI's usage block, including DeepSeek's cache-hit field. */
    static Usage usageOf(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return null;
        }
        long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(
                usage.path("prompt_cache_hit_tokens").asLong(0));
        return Usage.fromOpenAi(usage.path("prompt_tokens").asLong(0), cached,
                usage.path("completion_tokens").asLong(0),
                usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
    }

    private static JsonNode parseObject(byte[] body) {
        try {
            JsonNode tree = JSON.readTree(body);
            if (tree == null || !tree.isObject()) {
                throw new InvalidUpstreamResponse("the provider's answer is not a JSON object");
            }
            return tree;
        } catch (IOException e) {
            throw new InvalidUpstreamResponse("the provider's answer is not valid JSON");
        }
    }

    private static String errorMessage(byte[] body) {
        try {
            JsonNode tree = JSON.readTree(body);
            JsonNode message = tree == null ? null : tree.path("error").path("message");
            return message != null && message.isTextual() ? message.textValue() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Forwards every chunk as it came; reads usage and text on the way; drops the usage chunk nobody asked for. */
    private static final class PassThroughStream implements StreamTranslator {
        private final boolean clientWantsUsage;
        private final StringBuilder text = new StringBuilder();
        private boolean finished;
        private Usage usage;
        private String model;

        PassThroughStream(boolean clientWantsUsage) {
            this.clientWantsUsage = clientWantsUsage;
        }

        @Override
        public void onEvent(SseEvent event, EventSink out) throws IOException {
            String data = event.data();
            if (data.equals("[DONE]")) {
                finished = true;
                out.send(DONE);
                return;
            }
            JsonNode chunk = parseObject(data.getBytes(StandardCharsets.UTF_8));
            if (chunk.has("error")) {
                throw new InvalidUpstreamResponse(chunk.path("error").path("message").asText("error event from the provider"));
            }
            if (model == null) {
                model = chunk.path("model").textValue();
            }
            Usage reported = usageOf(chunk.get("usage"));
            if (reported != null) {
                usage = reported;
            }
            JsonNode choices = chunk.path("choices");
            for (JsonNode choice : choices) {
                JsonNode delta = choice.path("delta");
                appendText(delta.path("content"));
                for (JsonNode call : delta.path("tool_calls")) {
                    appendText(call.path("function").path("arguments"));
                }
            }
            if (reported != null && choices.isEmpty() && !clientWantsUsage) {
                return;
            }
            out.send(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        }

        private void appendText(JsonNode node) {
            if (node.isTextual()) {
                text.append(node.textValue());
            }
        }

        @Override
        public boolean finished() {
            return finished;
        }

        @Override
        public Usage usage() {
            return usage;
        }

        @Override
        public String responseModel() {
            return model;
        }

        @Override
        public CharSequence outputText() {
            return text;
        }
    }
}
