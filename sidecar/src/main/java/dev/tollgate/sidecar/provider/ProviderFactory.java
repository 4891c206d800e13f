package dev.tollgate.sidecar.provider;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.config.ProviderType;
import dev.tollgate.sidecar.provider.anthropic.AnthropicAdapter;
import dev.tollgate.sidecar.provider.azure.AzureOpenAiAdapter;
import dev.tollgate.sidecar.provider.bedrock.BedrockAdapter;
import java.time.Clock;
import dev.tollgate.sidecar.provider.gemini.GeminiAdapter;
import dev.tollgate.sidecar.provider.openai.OpenAiAdapter;
import dev.tollgate.sidecar.provider.vertex.ServiceAccountTokens;
import dev.tollgate.sidecar.provider.vertex.VertexAdapter;

/** Picks the adapter and transport for a provider's API family; every family has one. */
public final class ProviderFactory {
    private final OpenAiAdapter openAi = new OpenAiAdapter();
    private final MockAdapter mock = new MockAdapter(openAi);
    private final AzureOpenAiAdapter azure = new AzureOpenAiAdapter();
    private final BedrockAdapter bedrock = new BedrockAdapter(Clock.systemUTC());
    private final AnthropicAdapter anthropic = new AnthropicAdapter();
    private final GeminiAdapter gemini = new GeminiAdapter();
    private final VertexAdapter vertex = new VertexAdapter();
    private final UpstreamTransport http;
    private final ServiceAccountTokens googleTokens;

    public ProviderFactory(UpstreamTransport http) {
        this.http = http;
        this.googleTokens = new ServiceAccountTokens(http);
    }

    public Provider create(ProviderConfig config) {
        ProviderType type = ProviderType.of(config.type());
        return switch (type.family()) {
            case OPENAI -> new Provider(config, openAi, http);
            case MOCK -> new Provider(config, mock, new MockProvider(config.mock()));
            case BEDROCK -> new Provider(config, bedrock, http);
            case AZURE_OPENAI -> new Provider(config, azure, http);
            case GEMINI -> new Provider(config, gemini, http);
            case VERTEX -> new Provider(config, vertex, googleTokens.transport(config));
            case ANTHROPIC -> new Provider(config, anthropic, http);
        };
    }
}
