package dev.tollgate.sidecar.provider;

import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.config.ProviderType;
import dev.tollgate.sidecar.provider.openai.OpenAiAdapter;

/** Picks the adapter and transport for a provider's API family. New families are added here. */
public final class ProviderFactory {
    private final OpenAiAdapter openAi = new OpenAiAdapter();
    private final MockAdapter mock = new MockAdapter(openAi);
    private final UpstreamTransport http;

    public ProviderFactory(UpstreamTransport http) {
        this.http = http;
    }

    public Provider create(ProviderConfig config) {
        ProviderType type = ProviderType.of(config.type());
        return switch (type.family()) {
            case OPENAI -> new Provider(config, openAi, http);
            case MOCK -> new Provider(config, mock, new MockProvider(config.mock()));
            case ANTHROPIC -> new Provider(config, new dev.tollgate.sidecar.provider.anthropic.AnthropicAdapter(), http);
            default -> throw new IllegalStateException("configuration validation lets no '" + type.wireName() + "' through");
        };
    }
}
