package dev.tollgate.operator.webhook;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps our CA in the {@code caBundle} of every webhook of the MutatingWebhookConfiguration, so
 * the API server trusts the webhook's serving certificate. Checked again and again, not once: the
 * configuration may be installed after the operator starts, and {@code helm upgrade --force} (or
 * deleting and re-creating it) brings it back without one.
 */
public final class WebhookCaBundle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookCaBundle.class);

    public enum Outcome { UPDATED, UNCHANGED, MISSING }

    private static final int HTTP_CONFLICT = 409;
    /** Replicas starting together write at once: one wins, the others read again (and usually find it done). */
    private static final int ATTEMPTS = 5;

    private final ScheduledExecutorService timer;

    private WebhookCaBundle(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /**
     * Sets {@code caBundle} (the PEM, base64 as the API wants it) on every webhook where it differs. A write that
     * lost a race (409: another replica wrote since our read) is read and applied again, quietly.
     */
    public static Outcome patch(KubernetesClient client, String webhookConfigurationName, String caPem) {
        for (int attempt = 1; ; attempt++) {
            try {
                return patchOnce(client, webhookConfigurationName, caPem);
            } catch (KubernetesClientException e) {
                if (e.getCode() != HTTP_CONFLICT || attempt == ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private static Outcome patchOnce(KubernetesClient client, String webhookConfigurationName, String caPem) {
        Resource<MutatingWebhookConfiguration> resource =
                client.admissionRegistration().v1().mutatingWebhookConfigurations().withName(webhookConfigurationName);
        MutatingWebhookConfiguration current = resource.get();
        if (current == null) {
            return Outcome.MISSING;
        }
        String bundle = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII));
        if (current.getWebhooks().stream().allMatch(w -> w.getClientConfig() != null
                && bundle.equals(w.getClientConfig().getCaBundle()))) {
            return Outcome.UNCHANGED;
        }
        // edit sends a JSON patch of the difference: only the caBundle fields, nothing the chart owns.
        resource.edit(configuration -> {
            for (MutatingWebhook webhook : configuration.getWebhooks()) {
                if (webhook.getClientConfig() == null) {
                    webhook.setClientConfig(new WebhookClientConfig());
                }
                webhook.getClientConfig().setCaBundle(bundle);
            }
            return configuration;
        });
        return Outcome.UPDATED;
    }

    /**
     * Patches now and then every {@code every} until closed, always with the CA current at the time.
     * A missing configuration or an unreachable API server is logged and tried again.
     */
    public static WebhookCaBundle keep(KubernetesClient client, String webhookConfigurationName,
                                       Supplier<String> caPem, Duration every) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "tollgate-webhook-ca-bundle");
            thread.setDaemon(true);
            return thread;
        });
        Keeper keeper = new Keeper(client, webhookConfigurationName, caPem);
        timer.scheduleWithFixedDelay(keeper::run, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return new WebhookCaBundle(timer);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One check; logs only when the outcome changes, so a missing configuration is not a log line a minute. */
    private static final class Keeper {
        private final KubernetesClient client;
        private final String name;
        private final Supplier<String> caPem;
        private String lastProblem;

        Keeper(KubernetesClient client, String name, Supplier<String> caPem) {
            this.client = client;
            this.name = name;
            this.caPem = caPem;
        }

        void run() {
            try {
                switch (patch(client, name, caPem.get())) {
                    case UPDATED -> {
                        LOG.info("caBundle of MutatingWebhookConfiguration {} set to the operator's CA", name);
                        lastProblem = null;
                    }
                    case UNCHANGED -> lastProblem = null;
                    case MISSING -> problem("MutatingWebhookConfiguration " + name
                            + " does not exist (yet); its caBundle is set once it does");
                }
            } catch (KubernetesClientException e) {
                problem("cannot update the caBundle of MutatingWebhookConfiguration " + name + ": " + e.getMessage());
            } catch (RuntimeException e) {
                // A scheduled task that throws is never run again; this one must keep trying.
                LOG.error("caBundle of MutatingWebhookConfiguration {}: unexpected failure", name, e);
            }
        }

        private void problem(String message) {
            if (!message.equals(lastProblem)) {
                LOG.warn(message);
                lastProblem = message;
            }
        }
    }
}
