package dev.tollgate.operator.runtime;

import dev.tollgate.operator.certs.CertificateSettings;
import dev.tollgate.operator.certs.OperatorCertificates;
import dev.tollgate.operator.config.PriceCatalogFile;
import dev.tollgate.operator.control.ControlApiSettings;
import dev.tollgate.operator.control.ControlPlane;
import dev.tollgate.operator.lease.LeaseWriter;
import dev.tollgate.operator.webhook.InjectionSettings;
import dev.tollgate.operator.webhook.SidecarInjector;
import dev.tollgate.sidecar.config.ModelPrice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.prometheus.client.CollectorRegistry;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every replica serves beside the reconcilers, on one set of certificates: the control API
 * that delivers configuration to sidecars, and the webhook that injects them. Without a sidecar
 * image there is nothing to inject, so the webhook is left off (and says so).
 */
public final class DeliveryServers implements ExtraServer {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryServers.class);

    @Override
    public AutoCloseable start(OperatorOptions options, KubernetesClient client, CollectorRegistry metrics, LeaseWriter spendKeys) {
        // First: a wrong catalog stops the start before anything listens or writes certificates.
        List<ModelPrice> platformPrices = options.priceCatalog() == null ? List.of() : PriceCatalogFile.read(options.priceCatalog());
        CertificateSettings tls = CertificateSettings.defaults(options.namespace(), options.serviceName());
        OperatorCertificates certificates = OperatorCertificates.load(client, new CertificateSettings(tls.namespace(),
                tls.serviceName(), options.tlsSecretName(), tls.caLifetime(), tls.servingLifetime(), tls.renewBefore(),
                tls.checkInterval(), tls.clock()));
        certificates.start();
        ControlPlane control = null;
        try {
            ControlApiSettings api = ControlApiSettings.defaults();
            control = ControlPlane.start(client, new ControlApiSettings(options.bindAddress(), options.controlPort(),
                    api.longPoll()), certificates.sslContext(), platformPrices, metrics, spendKeys, Clock.systemUTC());
            SidecarInjector injector = startWebhook(options, client, certificates);
            ControlPlane started = control;
            return () -> {
                if (injector != null) {
                    injector.close();
                }
                started.close();
                certificates.close();
            };
        } catch (RuntimeException e) {
            if (control != null) {
                control.close();
            }
            certificates.close();
            throw e;
        }
    }

    private static SidecarInjector startWebhook(OperatorOptions options, KubernetesClient client,
                                                OperatorCertificates certificates) {
        if (options.sidecarImage() == null || options.sidecarImage().isBlank()) {
            LOG.warn("no sidecar image (--sidecar-image / TOLLGATE_SIDECAR_IMAGE): the injection webhook is off");
            return null;
        }
        OperatorOptions.SidecarResources resources = options.sidecarResources();
        InjectionSettings defaults = InjectionSettings.defaults(options.sidecarImage(), controlUrl(options), certificates.caPem());
        InjectionSettings settings = new InjectionSettings(defaults.image(), defaults.imagePullPolicy(), resources.cpuRequest(),
                resources.memoryRequest(), resources.cpuLimit(), resources.memoryLimit(),
                defaults.controlUrl(), defaults.controlCaPem(), options.sidecarPorts().proxy(), options.sidecarPorts().admin(), false,
                options.sidecarMaxConcurrent(), options.sidecarTelemetry());
        return SidecarInjector.start(client, settings, certificates::caPem, certificates::sslContext, options.bindAddress(),
                options.webhookPort(), options.webhookName(), options.nativeSidecars());
    }

    /** Sidecars reach the control API through the operator's Service, which the serving certificate names. */
    static String controlUrl(OperatorOptions options) {
        return "https://" + options.serviceName() + "." + options.namespace() + ".svc:" + options.controlPort();
    }
}
