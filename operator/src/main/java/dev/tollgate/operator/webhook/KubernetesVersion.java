package dev.tollgate.operator.webhook;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the cluster runs native sidecars (init containers with {@code restartPolicy: Always}),
 * from the API server's {@code /version}: the SidecarContainers feature is on by default from
 * 1.29. Asked once; until an answer comes, pods get a regular container, which works everywhere.
 */
public final class KubernetesVersion {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesVersion.class);
    private static final int NATIVE_SIDECARS_MINOR = 29;
    /** Managed clusters report minors like "30+" (GKE, EKS). */
    private static final Pattern LEADING_NUMBER = Pattern.compile("^(\\d{1,6})");

    private final KubernetesClient client;
    private volatile Boolean nativeSidecars;

    public KubernetesVersion(KubernetesClient client) {
        this.client = client;
    }

    public boolean nativeSidecars() {
        Boolean known = nativeSidecars;
        if (known != null) {
            return known;
        }
        VersionInfo version;
        try {
            version = client.getKubernetesVersion();
        } catch (KubernetesClientException e) {
            LOG.warn("cannot read the Kubernetes version ({}); injecting a regular container and asking again next time",
                    e.getMessage());
            return false;
        }
        if (version == null || version.getMajor() == null || version.getMinor() == null) {
            LOG.warn("/version did not say which Kubernetes this is; injecting a regular container and asking again next time");
            return false;
        }
        known = supportsNativeSidecars(version.getMajor(), version.getMinor());
        LOG.info("Kubernetes {}.{}: the sidecar is injected as {}", version.getMajor(), version.getMinor(),
                known ? "a native sidecar (init container, restartPolicy Always)" : "a regular container");
        nativeSidecars = known;
        return known;
    }

    static boolean supportsNativeSidecars(String major, String minor) {
        int majorNumber = leadingNumber(major);
        int minorNumber = leadingNumber(minor);
        return majorNumber > 1 || (majorNumber == 1 && minorNumber >= NATIVE_SIDECARS_MINOR);
    }

    private static int leadingNumber(String text) {
        Matcher m = LEADING_NUMBER.matcher(text == null ? "" : text.trim());
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }
}
