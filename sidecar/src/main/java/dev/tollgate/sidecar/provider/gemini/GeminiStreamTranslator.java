package dev.tollgate.sidecar.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.metering.Usage;
import dev.tollgate.sidecar.provider.ChatCompletionJson;
import dev.tollgate.sidecar.provider.EventSink;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.SseBytes;
import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.StreamReadings;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.UpstreamRefusal;
import dev.tollgate.sidecar.provider.openai.OpenAiUsage;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Gemini's streamed {@code GenerateContentResponse}s as OpenAI chat-completion chunks. Gemini sends
 * no [DONE]: the stream is complete once every candidate carried a finishReason. Every chunk repeats
 * {@code usageMetadata}, complete on the last one; {@link #usage()} is the latest, so a cut stream still
 * has the prompt's count. Then the client gets the finishing chunk, its usage chunk if it asked for one, and
 * {@code data: [DONE]}. A first chunk that is a safety block ({@link SafetyBlock}) is a refusal.
 */
final class GeminiStreamTranslator extends StreamReadings {
    private final String requestedModel;
    private final boolean clientWantsUsage;
    private final int candidates;
    private final long created = System.currentTimeMillis() / 1000;
    private final Set<Integer> started = new HashSet<>();
    private final Set<Integer> ended = new HashSet<>();
    private final Map<Integer, Integer> toolCallsSent = new HashMap<>();
    private String id;

    GeminiStreamTranslator(String requestedModel, boolean clientWantsUsage, int candidates) {
        this.requestedModel = requestedModel;
        this.clientWantsUsage = clientWantsUsage;
        this.candidates = Math.max(1, candidates);
    }

    @Override
    public void onEvent(SseEvent event, EventSink out) throws IOException {
        JsonNode chunk = UpstreamJson.parseObject(event.data());
        if (chunk.has("error")) {
            // Only the status name: the message may echo the request, and this text can reach the client.
            throw new InvalidUpstreamResponse("the provider sent an error in its stream ("
                    + chunk.path("error").path("status").asText("unknown status") + ")");
        }
        JsonNode list = UpstreamJson.array(chunk, "candidates");
        if (id == null) {
            // Nothing reached the client yet: a refusal can still be answered as a client error.
            String refusal = SafetyBlock.refusal(chunk, candidates);
            if (refusal != null) {
                throw new UpstreamRefusal(refusal);
            }
            id = ChatJson.completionId(chunk);
            model = chunk.path("modelVersion").asText(requestedModel);
        }
        String blockedLate = SafetyBlock.promptBlocked(chunk);
        if (blockedLate != null) {
            throw new InvalidUpstreamResponse(blockedLate + " after the stream began");
        }
        Usage reported = GeminiUsage.of(chunk.get("usageMetadata"));
        if (reported != null) {
            usage = reported;
        }
        for (int i = 0; i < list.size(); i++) {
            translate(list.get(i), list.get(i).path("index").asInt(i), out);
        }
        if (ended.size() >= candidates) {
            finish(out);
        }
    }

    private void translate(JsonNode candidate, int index, EventSink out) throws IOException {
        ObjectNode delta = UpstreamJson.MAPPER.createObjectNode();
        if (started.add(index)) {
            delta.put("role", "assistant");
        }
        String content = ChatJson.text(candidate);
        if (!content.isEmpty()) {
            delta.put("content", content);
            text.append(content);
        }
        ArrayNode calls = ChatJson.toolCalls(candidate);
        if (!calls.isEmpty()) {
            int sent = toolCallsSent.getOrDefault(index, 0);
            for (JsonNode call : calls) {
                ((ObjectNode) call).put("index", sent++);
                text.append(call.path("function").path("arguments").asText());
            }
            toolCallsSent.put(index, sent);
            delta.set("tool_calls", calls);
        }
        String finish = null;
        if (candidate.hasNonNull("finishReason") && ended.add(index)) {
            stoppedBecause(candidate.get("finishReason").asText());
            finish = ChatJson.finishReason(candidate.get("finishReason").asText(), toolCallsSent.containsKey(index));
        }
        if (!delta.isEmpty() || finish != null) {
            send(out, index, delta, finish);
        }
    }

    private void send(EventSink out, int index, ObjectNode delta, String finishReason) throws IOException {
        ObjectNode chunk = ChatCompletionJson.header("chat.completion.chunk", id, created, model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", index);
        choice.set("delta", delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        out.send(SseBytes.data(chunk));
    }

    private void finish(EventSink out) throws IOException {
        finished = true;
        if (clientWantsUsage && usage != null) {
            out.send(ChatCompletionJson.usageChunk(id, created, model, OpenAiUsage.toChatJson(usage)));
        }
        out.send(SseBytes.done());
    }
}
