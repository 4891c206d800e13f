package dev.tollgate.sidecar.provider.vertex;

import dev.tollgate.sidecar.config.ProviderConfig;
import java.net.URI;

/**
 * Vertex AI's URL of a publisher's model method:
 * {@code {baseUrl}/v1/projects/{project}/locations/{location}/publishers/{publisher}/models/{model}:{method}}.
 */
final class VertexModelPath {
    private VertexModelPath() {
    }

    static URI uri(ProviderConfig provider, String publisher, String model, String method) {
        return URI.create(provider.effectiveBaseUrl() + "/v1/projects/" + provider.options().get("project")
                + "/locations/" + provider.options().get("location") + "/publishers/" + publisher + "/models/" + model + ":" + method);
    }
}
