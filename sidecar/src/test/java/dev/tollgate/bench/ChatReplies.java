package dev.tollgate.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The upstream emulator's fixed answers, in OpenAI's documented chat.completion and
 * chat.completion.chunk shapes, built once so answering costs no JSON work.
 */
final class ChatReplies {
    static final int PROMPT_TOKENS = 12;

    private ChatReplies() {
    }

    /** A non-streaming answer of {@code tokens} completion tokens. */
    static byte[] completion(int tokens) {
        String json = "{" + head("chat.completion")
                + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text(tokens)
                + "\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
                + "\"usage\":" + usage(tokens) + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The SSE events of a streamed answer: a role event, one event per token, a finish event,
     * the usage event when the client asked for it (then every other event carries
     * {@code "usage":null}), and {@code [DONE]}.
     */
    static List<byte[]> streamEvents(int tokens, boolean includeUsage) {
        String usageNull = includeUsage ? ",\"usage\":null" : "";
        List<String> events = new ArrayList<>();
        events.add(chunk("{\"role\":\"assistant\",\"content\":\"\"}", "null", usageNull));
        for (int i = 0; i < tokens; i++) {
            events.add(chunk("{\"content\":\"" + word(i) + "\"}", "null", usageNull));
        }
        events.add(chunk("{}", "\"stop\"", usageNull));
        if (includeUsage) {
            events.add("{" + chunkHead() + ",\"choices\":[],\"usage\":" + usage(tokens) + "}");
        }
        events.add("[DONE]");
        return events.stream().map(e -> ("data: " + e + "\n\n").getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static String chunk(String delta, String finishReason, String usageNull) {
        return "{" + chunkHead() + ",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"logprobs\":null,\"finish_reason\":" + finishReason + "}]" + usageNull + "}";
    }

    private static String chunkHead() {
        return head("chat.completion.chunk");
    }

    private static String head(String object) {
        return "\"id\":\"chatcmpl-bench0001\",\"object\":\"" + object
                + "\",\"created\":1735689600,\"model\":\"bench-model\",\"system_fingerprint\":\"fp_bench\"";
    }

    private static String usage(int tokens) {
        return "{\"prompt_tokens\":" + PROMPT_TOKENS + ",\"completion_tokens\":" + tokens
                + ",\"total_tokens\":" + (PROMPT_TOKENS + tokens)
                + ",\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0}"
                + ",\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0}}";
    }

    private static String text(int tokens) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < tokens; i++) {
            sb.append(word(i));
        }
        return sb.toString();
    }

    private static String word(int i) {
        return i == 0 ? "Hello" : " word" + i;
    }
}
