package dev.tollgate.sidecar.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.config.MockConfig;
import dev.tollgate.sidecar.metering.TokenCounter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The built-in {@code mock} provider: an OpenAI-compatible server inside the sidecar that answers
 * deterministically with real token counts, and can be slow, fail, or cut its streams on purpose.
 */
public final class MockProvider implements UpstreamTransport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong IDS = new AtomicLong();

    private final MockConfig config;

    public MockProvider(MockConfig config) {
        this.config = config == null ? MockConfig.defaults() : config;
    }

    @Override
    public UpstreamExchange open(UpstreamRequest request) {
        return new MockExchange(request);
    }

    /** Waits out the configured latency (an abort ends the wait), then answers. */
    private final class MockExchange implements UpstreamExchange {
        private final UpstreamRequest request;
        private final CountDownLatch aborted = new CountDownLatch(1);
        private volatile MockResponse response;

        MockExchange(UpstreamRequest request) {
            this.request = request;
        }

        @Override
        public UpstreamResponse send() throws IOException {
            try {
                if (aborted.await(config.latencyMs(), TimeUnit.MILLISECONDS)) {
                    throw new IOException("aborted");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
            response = answer(request);
            return response;
        }

        @Override
        public void abort() {
            aborted.countDown();
            MockResponse started = response;
            if (started != null) {
                started.close();
            }
        }
    }

    private MockResponse answer(UpstreamRequest request) {
        if (config.failStatus() != null) {
            String error = "{\"error\":{\"message\":\"mock provider configured to fail with status "
                    + config.failStatus() + "\",\"type\":\"server_error\",\"code\":null}}";
            return new MockResponse(config.failStatus(), "application/json",
                    new ByteArrayInputStream(error.getBytes(StandardCharsets.UTF_8)));
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.body());
        } catch (IOException e) {
            return new MockResponse(400, "application/json", new ByteArrayInputStream(
                    "{\"error\":{\"message\":\"invalid JSON\",\"type\":\"invalid_request_error\"}}".getBytes(StandardCharsets.UTF_8)));
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
            return new MockResponse(200, "application/json",
                    new ByteArrayInputStream(answer.toString().getBytes(StandardCharsets.UTF_8)));
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
        return new MockResponse(200, "text/event-stream", new MockStream(events, config.chunkDelayMs(), config.cutAfterChunks()));
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

    private record MockResponse(int status, String contentType, InputStream body) implements UpstreamResponse {
        @Override
        public Optional<String> header(String name) {
            if (name.equalsIgnoreCase("content-type")) {
                return Optional.of(contentType);
            }
            return name.equalsIgnoreCase("retry-after") && status == 429 ? Optional.of("1") : Optional.empty();
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException ignored) {
                // In-memory stream.
            }
        }
    }

    /** Hands out SSE events one by one with a delay between them, and can drop the "connection". */
    private static final class MockStream extends InputStream {
        private final List<byte[]> events;
        private final long delayMs;
        private final Integer cutAfter;
        private int next;
        private byte[] current = new byte[0];
        private int pos;
        private volatile boolean closed;

        MockStream(List<byte[]> events, long delayMs, Integer cutAfter) {
            this.events = events;
            this.delayMs = delayMs;
            this.cutAfter = cutAfter;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos == current.length && !advance()) {
                return -1;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        private boolean advance() throws IOException {
            if (closed) {
                throw new IOException("stream closed");
            }
            if (next == events.size()) {
                return false;
            }
            if (cutAfter != null && next >= cutAfter) {
                throw new IOException("mock provider cut the stream after " + cutAfter + " chunks");
            }
            if (next > 0 && delayMs > 0) {
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
            }
            current = events.get(next++);
            pos = 0;
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
