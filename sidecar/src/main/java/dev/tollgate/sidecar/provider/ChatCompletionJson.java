package dev.tollgate.sidecar.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The OpenAI chat-completion objects that answers and streams translated from other APIs (and the mock's) are written as. */
public final class ChatCompletionJson {
    private ChatCompletionJson() {
    }

    /** A {@code chat.completion} or {@code chat.completion.chunk} with its id, time and model. */
    public static ObjectNode header(String object, String id, long created, String model) {
        return UpstreamJson.MAPPER.createObjectNode().put("id", id).put("object", object)
                .put("created", created).put("model", model);
    }

    /** A chunk carrying choice 0's delta as OpenAI streams it: logprobs null, finish_reason null until the last. */
    public static byte[] deltaChunk(String id, long created, String model, ObjectNode delta, String finishReason) {
        ObjectNode chunk = header("chat.completion.chunk", id, created, model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return SseBytes.data(chunk);
    }

    /** A delta carrying one tool call, as OpenAI streams them: one per chunk, named by index. */
    public static ObjectNode toolCallDelta(ObjectNode call) {
        ObjectNode delta = UpstreamJson.MAPPER.createObjectNode();
        delta.putArray("tool_calls").add(call);
        return delta;
    }

    /** The usage chunk a client asked for with stream_options.include_usage: no choices, the usage. */
    public static byte[] usageChunk(String id, long created, String model, ObjectNode usage) {
        ObjectNode chunk = header("chat.completion.chunk", id, created, model);
        chunk.putArray("choices");
        chunk.set("usage", usage);
        return SseBytes.data(chunk);
    }
}
