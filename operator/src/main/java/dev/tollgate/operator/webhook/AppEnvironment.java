package dev.tollgate.operator.webhook;

import dev.tollgate.operator.config.SpendKeyTokens;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The variables that point an app's OpenAI and Anthropic SDKs at the sidecar, and, with a spend
 * key, hand them its token as their API key (the SDKs refuse to start without one).
 *
 * <p>A name the container already sets in {@code env} is left alone. {@code envFrom} is not
 * inspected: its ConfigMaps and Secrets may not exist yet at admission, and reading every
 * Secret would need far more RBAC than the webhook should have. As {@code env} wins over
 * {@code envFrom} in Kubernetes, a user who wants their own value sets it in {@code env}.
 */
final class AppEnvironment {
    private final List<EnvVar> variables;

    AppEnvironment(InjectionSettings settings, String spendKey) {
        List<EnvVar> vars = new ArrayList<>();
        vars.add(EnvVars.value("OPENAI_BASE_URL", "http://127.0.0.1:" + settings.proxyPort() + "/v1"));
        vars.add(EnvVars.value("ANTHROPIC_BASE_URL", "http://127.0.0.1:" + settings.proxyPort()));
        if (spendKey != null) {
            String secret = SpendKeyTokens.secretName(spendKey);
            vars.add(EnvVars.secretKey("OPENAI_API_KEY", secret, SpendKeyTokens.SECRET_KEY));
            vars.add(EnvVars.secretKey("ANTHROPIC_API_KEY", secret, SpendKeyTokens.SECRET_KEY));
        }
        this.variables = List.copyOf(vars);
    }

    /** Ours, minus every name the container already sets. */
    List<EnvVar> missingFrom(Container container) {
        Set<String> set = container.getEnv() == null ? Set.of()
                : container.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet());
        return variables.stream().filter(v -> !set.contains(v.getName())).toList();
    }
}
