package dev.tollgate.sidecar.provider.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/** The HTTP request for a Messages body, translated or passed through, to whichever endpoint serves Claude. */
final class MessagesUpstream {
    private MessagesUpstream() {
    }

    /**
     * {@code body} is the adapter's own copy; the endpoint adds the model and version its way.
     * {@code anthropicBeta} is the client's beta header on a passthrough, or null.
     */
    static UpstreamRequest request(AnthropicEndpoint endpoint, ProviderConfig provider, String upstreamModel,
                                   ObjectNode body, boolean stream, String anthropicBeta) {
        endpoint.prepareBody(body, upstreamModel);
        Map<String, String> headers = new LinkedHashMap<>(provider.headers());
        headers.put("content-type", "application/json");
        headers.put("accept", stream ? "text/event-stream" : "application/json");
        headers.putAll(endpoint.headers(provider));
        if (anthropicBeta != null) {
            headers.put("anthropic-beta", anthropicBeta);
        }
        return new UpstreamRequest(endpoint.uri(provider, upstreamModel, stream), headers, UpstreamJson.toBytes(body));
    }
}
