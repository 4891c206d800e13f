package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.api.ApiError;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * How an {@link ApiError} reaches the client: in OpenAI's shape {@code {"error":{"message","type","code"}}}
 * everywhere but {@code /v1/messages}, which answers in Anthropic's shape so the Anthropic SDK reads it;
 * a stream's error event takes the form its API documents.
 */
public enum ErrorFormat {
    OPENAI {
        @Override
        public byte[] json(ApiError error) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            ObjectNode e = body.putObject("error");
            e.put("message", error.getMessage());
            e.put("type", error.type());
            e.put("code", error.code());
            e.putNull("param");
            return bytes(body);
        }

        @Override
        public byte[] sseEvent(ApiError error) {
            return ("data: " + new String(json(error), StandardCharsets.UTF_8) + "\n\n").getBytes(StandardCharsets.UTF_8);
        }
    },

    /** The Responses API: JSON errors as OpenAI's; a stream's error is a typed {@code error} event. */
    OPENAI_RESPONSES {
        @Override
        public byte[] json(ApiError error) {
            return OPENAI.json(error);
        }

        @Override
        public byte[] sseEvent(ApiError error) {
            ObjectNode event = JsonNodeFactory.instance.objectNode().put("type", "error").put("code", error.code())
                    .put("message", error.getMessage());
            event.putNull("param");
            return ("event: error\ndata: " + event + "\n\n").getBytes(StandardCharsets.UTF_8);
        }
    },

    ANTHROPIC {
        @Override
        public byte[] json(ApiError error) {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("type", "error");
            body.putObject("error").put("type", anthropicType(error.status())).put("message", error.getMessage());
            return bytes(body);
        }

        @Override
        public byte[] sseEvent(ApiError error) {
            return ("event: error\ndata: " + new String(json(error), StandardCharsets.UTF_8) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        }

        /** Anthropic's error types are fixed per status; our code (e.g. budget_exceeded) stays in the message. */
        private String anthropicType(int status) {
            return switch (status) {
                case 401 -> "authentication_error";
                case 403 -> "permission_error";
                case 404 -> "not_found_error";
                case 413 -> "request_too_large";
                case 429 -> "rate_limit_error";
                case 503 -> "overloaded_error";
                default -> status >= 500 ? "api_error" : "invalid_request_error";
            };
        }
    };

    public abstract byte[] json(ApiError error);

    /** An SSE event carrying the error; a stream that ends with it never ends cleanly. */
    public abstract byte[] sseEvent(ApiError error);

    public void send(HttpServerExchange exchange, ApiError error) {
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        exchange.setStatusCode(error.status());
        if (error.retryAfterSeconds() != null) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, error.retryAfterSeconds());
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(ByteBuffer.wrap(json(error)));
    }

    private static byte[] bytes(ObjectNode body) {
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
