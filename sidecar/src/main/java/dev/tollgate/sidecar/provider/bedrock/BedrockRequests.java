package dev.tollgate.sidecar.provider.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.provider.UpstreamJson;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Bedrock runtime call {@code POST {base}/model/{modelId}/{action}}, authenticated with a Bedrock
 * API key ({@code Authorization: Bearer}) or signed with SigV4 (service {@code bedrock}) from the
 * account's access key. The model id is one path segment: its ':' (and an ARN's '/') are encoded.
 */
final class BedrockRequests {
    static final String SERVICE = "bedrock";
    private static final String JSON = "application/json";

    private final Clock clock;

    BedrockRequests(Clock clock) {
        this.clock = clock;
    }

    UpstreamRequest post(ProviderConfig provider, String modelId, String action, ObjectNode body, String accept) {
        byte[] bytes = UpstreamJson.toBytes(body);
        URI uri = URI.create(provider.effectiveBaseUrl() + "/model/" + SigV4Signer.uriEncode(modelId) + "/" + action);
        Map<String, String> headers = new LinkedHashMap<>(provider.headers());
        headers.put("Content-Type", JSON);
        headers.put("Accept", accept);
        if (provider.apiKey() != null && !provider.apiKey().isBlank()) {
            headers.put("Authorization", "Bearer " + provider.apiKey());
        } else {
            Map<String, String> credentials = provider.credentials();
            SigV4Signer signer = new SigV4Signer(credentials.get("accessKeyId"), credentials.get("secretAccessKey"),
                    credentials.get("sessionToken"), provider.options().get("region"), SERVICE, clock);
            headers.putAll(signer.sign("POST", uri, Map.of("Content-Type", JSON), bytes).headersToAdd());
        }
        return new UpstreamRequest(uri, headers, bytes);
    }
}
