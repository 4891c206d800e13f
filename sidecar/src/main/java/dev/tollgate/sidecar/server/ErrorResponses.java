package dev.tollgate.sidecar.server;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;

/** Writes {@link ApiError}s in OpenAI's error shape, as a JSON body or as an SSE error event. */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    public static byte[] json(ApiError error) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode e = body.putObject("error");
        e.put("message", error.getMessage());
        e.put("type", error.type());
        e.put("code", error.code());
        e.putNull("param");
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An SSE event carrying the error; a stream that ends with it never ends with [DONE]. */
    public static byte[] sseEvent(ApiError error) {
        return ("data: " + new String(json(error), StandardCharsets.UTF_8) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    public static void send(HttpServerExchange exchange, ApiError error) {
        if (exchange.isResponseStarted()) {
            exchange.endExchange();
            return;
        }
        exchange.setStatusCode(error.status());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(java.nio.ByteBuffer.wrap(json(error)));
    }
}
