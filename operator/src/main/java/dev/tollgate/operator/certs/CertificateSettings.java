package dev.tollgate.operator.certs;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Where the operator's TLS material lives and how long it lasts.
 *
 * @param namespace                the operator's namespace (the Secret's and the Service's)
 * @param serviceName              the operator's Service; the serving certificate names it
 * @param secretName               the Secret shared by replicas
 * @param renewBefore              a serving certificate with less validity left is re-issued
 * @param checkInterval            how often the Secret is re-read (another replica or cert-manager may renew it)
 */
public record CertificateSettings(
        String namespace,
        String serviceName,
        String secretName,
        Duration caLifetime,
        Duration servingLifetime,
        Duration renewBefore,
        Duration checkInterval,
        Clock clock) {

    public static final String DEFAULT_SECRET = "tollgate-operator-tls";

    public static CertificateSettings defaults(String namespace, String serviceName) {
        return new CertificateSettings(namespace, serviceName, DEFAULT_SECRET, Duration.ofDays(5 * 365),
                Duration.ofDays(365), Duration.ofDays(30), Duration.ofHours(1), Clock.systemUTC());
    }

    public CertificateSettings withClock(Clock clock) {
        return new CertificateSettings(namespace, serviceName, secretName, caLifetime, servingLifetime, renewBefore,
                checkInterval, clock);
    }

    /** The names sidecars and the API server reach the Service by. */
    List<String> dnsNames() {
        return List.of(serviceName, serviceName + "." + namespace, serviceName + "." + namespace + ".svc",
                serviceName + "." + namespace + ".svc.cluster.local");
    }
}
