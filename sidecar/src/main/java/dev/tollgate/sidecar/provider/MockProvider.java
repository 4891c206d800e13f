package dev.tollgate.sidecar.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.config.MockConfig;
import dev.tollgate.sidecar.metering.TokenCounter;
import dev.tollgate.sidecar.timing.Watchdog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The built-in {@code mock} provider: an OpenAI-compatible server inside the sidecar that answers
 * deterministically with real token counts, and can be slow, fail, or cut its streams on purpose.
 * Its answers arrive through the same callbacks as a provider's over HTTP, paced by the timer.
 */
public final class MockProvider implements UpstreamTransport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong IDS = new AtomicLong();

    private final MockConfig config;

    public MockProvider(MockConfig config) {
        this.config = config == null ? MockConfig.defaults() : config;
    }

    @Override
    public UpstreamCall send(UpstreamRequest request, UpstreamHandler handler) {
        MockCall call = new MockCall(answer(request), handler);
        call.schedule(config.latencyMs());
        return call;
    }

    private MockAnswer answer(UpstreamRequest request) {
        if (config.failStatus() != null) {
            String error = "{\"error\":{\"message\":\"mock provider configured to fail with status "
                    + config.failStatus() + "\",\"type\":\"server_error\",\"code\":null}}";
            return new MockAnswer(config.failStatus(), "application/json", List.of(error.getBytes(StandardCharsets.UTF_8)), 0, null);
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            return new MockAnswer(400, "application/json", List.of(
                    "{\"error\":{\"message\":\"invalid JSON\",\"type\":\"invalid_request_error\"}}".getBytes(StandardCharsets.UTF_8)), 0, null);
        }
        TokenCounter tokens = TokenCounter.shared();
        String model = body.path("model").asText("mock");
        long maxTokens = body.path("max_completion_tokens").asLong(body.path("max_tokens").asLong(Long.MAX_VALUE));
        List<String> words = replyWords(body);
        boolean truncated = false;
        while (words.size() > 1 && tokens.count(String.join("", words)) > maxTokens) {
            words.remove(words.size() - 1);
            truncated = true;
        }
        String reply = String.join("", words);
        // n choices, as OpenAI answers: the same reply n times, each billed.
        int choices = Math.max(1, body.path("n").asInt(1));
        long promptTokens = tokens.estimatePromptTokens(body);
        long completionTokens = choices * tokens.count(reply);
        String finish = truncated ? "length" : "stop";
        String id = "chatcmpl-mock-" + IDS.incrementAndGet();
        long created = System.currentTimeMillis() / 1000;
        ObjectNode usage = JSON.createObjectNode()
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        if (!body.path("stream").asBoolean(false)) {
            ObjectNode answer = ChatCompletionJson.header("chat.completion", id, created, model);
            ArrayNode list = answer.putArray("choices");
            for (int c = 0; c < choices; c++) {
                ObjectNode choice = list.addObject().put("index", c);
                choice.putObject("message").put("role", "assistant").put("content", reply);
                choice.put("finish_reason", finish);
            }
            answer.set("usage", usage);
            return new MockAnswer(200, "application/json", List.of(answer.toString().getBytes(StandardCharsets.UTF_8)), 0, null);
        }
        List<byte[]> events = new ArrayList<>();
        int per = config.tokensPerChunk();
        for (int c = 0; c < choices; c++) {
            events.add(chunk(id, created, model, c, JSON.createObjectNode().put("role", "assistant").put("content", ""), null));
            for (int i = 0; i < words.size(); i += per) {
                String piece = String.join("", words.subList(i, Math.min(words.size(), i + per)));
                events.add(chunk(id, created, model, c, JSON.createObjectNode().put("content", piece), null));
            }
            events.add(chunk(id, created, model, c, JSON.createObjectNode(), finish));
        }
        if (body.path("stream_options").path("include_usage").asBoolean(false)) {
            events.add(ChatCompletionJson.usageChunk(id, created, model, usage));
        }
        events.add(SseBytes.done());
        return new MockAnswer(200, "text/event-stream", events, config.chunkDelayMs(), config.cutAfterChunks());
    }

    /** The reply split into word-sized pieces (each keeps its leading space) for chunking. */
    private List<String> replyWords(JsonNode body) {
        String reply = config.reply() != null ? config.reply() : defaultReply(body);
        List<String> words = new ArrayList<>();
        for (String w : reply.split(" ")) {
            words.add(words.isEmpty() ? w : " " + w);
        }
        return words;
    }

    private static String defaultReply(JsonNode body) {
        String said = "";
        ArrayNode messages = (ArrayNode) body.path("messages");
        for (JsonNode m : messages) {
            if ("user".equals(m.path("role").asText()) && m.path("content").isTextual()) {
                said = m.path("content").asText();
            }
        }
        String[] words = said.trim().split("\\s+");
        String echo = String.join(" ", Arrays.copyOf(words, Math.min(words.length, 12)));
        return "This is the Tollgate mock provider answering \"" + echo + "\". No model was called and no money was spent.";
    }

    private static byte[] chunk(String id, long created, String model, int index, ObjectNode delta, String finish) {
        ObjectNode chunk = ChatCompletionJson.header("chat.completion.chunk", id, created, model);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", index);
        choice.set("delta", delta);
        if (finish == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finish);
        }
        return SseBytes.data(chunk);
    }

    /** What the mock answers: the body in pieces, sent {@code delayMs} apart, the connection dropped after {@code cutAfter}. */
    private record MockAnswer(int status, String contentType, List<byte[]> pieces, long delayMs, Integer cutAfter) {
        UpstreamHead head() {
            Map<String, String> headers = new HashMap<>();
            headers.put("content-type", contentType);
            if (status == 429) {
                headers.put("retry-after", "1");
            }
            return new UpstreamHead(status, headers);
        }
    }

    /**
     * Delivers an answer piece by piece on the timer, never sleeping a thread: the head with the first
     * piece, then each next one when its delay passed and the caller is not pausing the stream.
     */
    private static final class MockCall implements UpstreamCall {
        private final MockAnswer answer;
        private final UpstreamHandler handler;
        private int next;
        // Guarded by this.
        private boolean paused;
        private boolean stalled;
        private boolean cancelled;
        private Watchdog.Alarm alarm;

        MockCall(MockAnswer answer, UpstreamHandler handler) {
            this.answer = answer;
            this.handler = handler;
        }

        synchronized void schedule(long delayMs) {
            if (!cancelled) {
                alarm = Watchdog.arm(delayMs, this::step);
            }
        }

        private void step() {
            synchronized (this) {
                if (cancelled) {
                    return;
                }
                if (paused) {
                    stalled = true;
                    return;
                }
            }
            if (next == 0) {
                handler.onHead(answer.head());
            }
            if (answer.cutAfter() != null && next >= answer.cutAfter()) {
                handler.onFailure(new IOException("mock provider cut the stream after " + answer.cutAfter() + " chunks"));
                return;
            }
            handler.onData(ByteBuffer.wrap(answer.pieces().get(next++)));
            if (next == answer.pieces().size()) {
                handler.onEnd();
                return;
            }
            schedule(answer.delayMs());
        }

        @Override
        public synchronized void pause() {
            paused = true;
        }

        @Override
        public synchronized void resume() {
            paused = false;
            if (stalled) {
                stalled = false;
                schedule(0);
            }
        }

        @Override
        public synchronized void cancel() {
            cancelled = true;
            if (alarm != null) {
                alarm.cancel();
            }
        }
    }
}
