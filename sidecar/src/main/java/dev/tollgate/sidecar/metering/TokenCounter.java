package dev.tollgate.sidecar.metering;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.ToIntFunction;

/**
 * Token counts of text and of chat prompts. {@link #shared()} counts for real (jtokkit,
 * o200k_base; its tables take about 30 MB of heap, so they load only when first needed: the mock
 * provider, usage a provider did not report). {@link #upperBound()} never undercounts and needs no
 * tables: what a budget reservation on every request wants.
 */
public final class TokenCounter {
    // OpenAI's published counting recipe for chat models: every message is wrapped in 3 tokens,
    // a name costs 1 more, and every reply is primed with 3.
    private static final int TOKENS_PER_MESSAGE = 3;
    private static final int TOKENS_PER_NAME = 1;
    private static final int REPLY_PRIMING = 3;
    // Images are not decoded here: low detail is a flat 85 tokens; any other image is charged the
    // high-detail maximum, 85 + 170 for each of at most 8 tiles of 512 px.
    private static final int LOW_DETAIL_IMAGE_TOKENS = 85;
    private static final int MAX_IMAGE_TOKENS = 85 + 8 * 170;
    // Anthropic bills an image by its area, at most about 1,600 tokens once resized to its 1.15 MP cap.
    private static final int MAX_IMAGE_TOKENS_ANY_PROVIDER = 1_600;
    private static final Set<String> IMAGE_BLOCK_TYPES = Set.of("image", "image_url", "input_image");
    // Request fields OpenAI renders into the prompt; their JSON is longer than that rendering.
    private static final String[] PROMPT_DEFINITIONS = {"tools", "functions", "response_format"};

    private static final TokenCounter UPPER_BOUND = new TokenCounter(TokenCounter::utf8Length);

    private final ToIntFunction<String> counter;

    private TokenCounter(ToIntFunction<String> counter) {
        this.counter = counter;
    }

    /** Loads the o200k_base tables (about a tenth of a second) on first use. */
    public static TokenCounter shared() {
        return Shared.INSTANCE;
    }

    /** Counts UTF-8 bytes: no byte-level BPE token is shorter than one byte, so this never undercounts. */
    public static TokenCounter upperBound() {
        return UPPER_BOUND;
    }

    /** Tokens in the text; special-token markup such as "<|endoftext|>" counts as ordinary text. */
    public int count(String text) {
        return counter.applyAsInt(Objects.requireNonNull(text, "text"));
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // Surrogate pairs are 4 bytes for two chars, so 2 each.
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }

    /**
     * Tokens of a JSON tree of prompt content in any API's shape (Anthropic messages, Responses
     * input, tool definitions): every string counted, every image block a flat maximum (its base64
     * is not text the model reads). Leans high, as a budget reservation should.
     */
    public long estimateTreeTokens(JsonNode node) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (node.isTextual()) {
            return count(node.textValue());
        }
        if (node.isValueNode()) {
            return 1;
        }
        if (node.isObject() && IMAGE_BLOCK_TYPES.contains(node.path("type").asText())) {
            return MAX_IMAGE_TOKENS_ANY_PROVIDER;
        }
        long tokens = 0;
        for (JsonNode child : node) {
            tokens += estimateTreeTokens(child);
        }
        return tokens;
    }

    /**
     * Prompt tokens of an OpenAI chat completion body: message contents (strings and text parts;
     * images a fixed amount), names, tool calls, tool and function definitions, plus the per-message
     * overhead. Leans high, as a budget reservation should; audio and file parts are left to the
     * provider's usage report. Throws IllegalArgumentException when {@code messages} is not a list of objects.
     */
    public long estimatePromptTokens(JsonNode chatCompletionRequest) {
        JsonNode messages = chatCompletionRequest.get("messages");
        if (messages == null || !messages.isArray()) {
            throw new IllegalArgumentException("messages: required list");
        }
        long tokens = REPLY_PRIMING;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            if (!message.isObject()) {
                throw new IllegalArgumentException("messages[" + i + "]: must be an object");
            }
            tokens += TOKENS_PER_MESSAGE + messageTokens(message);
        }
        for (String field : PROMPT_DEFINITIONS) {
            JsonNode definition = chatCompletionRequest.get(field);
            if (definition != null && definition.isContainerNode()) {
                tokens += count(definition.toString());
            }
        }
        return tokens;
    }

    private long messageTokens(JsonNode message) {
        long tokens = 0;
        for (Iterator<Map.Entry<String, JsonNode>> fields = message.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (field.getKey().equals("content")) {
                tokens += contentTokens(value);
            } else if (value.isTextual()) {
                tokens += count(value.textValue());
                if (field.getKey().equals("name")) {
                    tokens += TOKENS_PER_NAME;
                }
            } else if (value.isContainerNode()) {
                tokens += count(value.toString()); // tool_calls, function_call
            }
        }
        return tokens;
    }

    private long contentTokens(JsonNode content) {
        if (content.isTextual()) {
            return count(content.textValue());
        }
        long tokens = 0;
        if (content.isArray()) {
            for (JsonNode part : content) {
                switch (part.path("type").asText()) {
                    case "text" -> tokens += count(part.path("text").asText());
                    case "refusal" -> tokens += count(part.path("refusal").asText());
                    case "image_url" -> tokens += "low".equals(part.path("image_url").path("detail").asText())
                            ? LOW_DETAIL_IMAGE_TOKENS : MAX_IMAGE_TOKENS;
                }
            }
        }
        return tokens;
    }

    private static final class Shared {
        static final Encoding O200K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
        static final TokenCounter INSTANCE = new TokenCounter(TokenCounter::countInPieces);
    }

    /**
     * Longest run of non-space characters counted as one piece. Byte-pair encoding of one long run costs several
     * times what words do per character (a megabyte of one letter took seconds): a run is cut into pieces of this
     * length, which changes no count of text made of words and a long run's by at most a token a piece.
     */
    static final int LONGEST_PIECE = 64;

    private static int countInPieces(String text) {
        int tokens = 0;
        int start = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            run = Character.isWhitespace(c) ? 0 : run + 1;
            if (run > LONGEST_PIECE && !Character.isLowSurrogate(c)) {
                tokens += Shared.O200K.countTokensOrdinary(text.substring(start, i));
                start = i;
                run = 1;
            }
        }
        return tokens + Shared.O200K.countTokensOrdinary(start == 0 ? text : text.substring(start));
    }
}
