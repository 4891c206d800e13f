package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.api.ApiError;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.GatewayState;
import dev.tollgate.sidecar.spend.SpendKey;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.util.List;
import java.util.function.Supplier;

/** {@code GET /v1/models}: the routed model names this caller may use, in OpenAI's list shape. */
final class ModelsHandler implements HttpHandler {
    private final Supplier<GatewayState> state;
    private final SpendCheck spend;

    ModelsHandler(Supplier<GatewayState> state, SpendCheck spend) {
        this.state = state;
        this.spend = spend;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        SpendKey key;
        try {
            key = spend.authenticate(exchange);
        } catch (ApiError error) {
            ErrorFormat.OPENAI.send(exchange, error);
            return;
        }
        List<String> names = state.get().routes().exactModelNames().stream()
                .filter(name -> key == null || key.allowsModel(name))
                .sorted()
                .toList();
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("object", "list");
        var data = body.putArray("data");
        for (String name : names) {
            data.addObject().put("id", name).put("object", "model").put("created", 0).put("owned_by", "tollgate");
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(body.toString());
    }
}
