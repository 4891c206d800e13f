package dev.tollgate.operator.certs;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Puts the operator's CA into the webhook configuration, so the API server trusts the webhook's
 * certificate. Done again on every check: a {@code helm upgrade} re-applies the object without it.
 */
final class WebhookCaBundle {
    private WebhookCaBundle() {
    }

    /** @return false when the configuration does not exist (yet); true once every webhook carries the bundle */
    static boolean apply(KubernetesClient client, String configurationName, String caPem) {
        String bundle = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
        var resource = client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(configurationName);
        MutatingWebhookConfiguration current = resource.get();
        if (current == null) {
            return false;
        }
        if (current.getWebhooks().stream().allMatch(w -> bundle.equals(w.getClientConfig().getCaBundle()))) {
            return true;
        }
        resource.edit(configuration -> {
            for (MutatingWebhook webhook : configuration.getWebhooks()) {
                webhook.getClientConfig().setCaBundle(bundle);
            }
            return configuration;
        });
        return true;
    }
}
