package dev.tollgate.operator.control;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The operator's requests for Secrets as the mock API server recorded them. */
public final class SecretRequests {
    /** The field selector every Secret informer of the operator must send. */
    public static final String UNREAD_TYPES = "type!=helm.sh/release.v1,type!=kubernetes.io/service-account-token,"
            + "type!=kubernetes.io/dockerconfigjson,type!=kubernetes.io/dockercfg,type!=kubernetes.io/tls";

    private SecretRequests() {
    }

    /** The decoded paths of the cluster-wide Secret requests received since the last call (it takes them). */
    public static List<String> take(KubernetesMockServer server) throws InterruptedException {
        List<String> paths = new ArrayList<>();
        for (int i = server.getRequestCount(); i > 0; i--) {
            RecordedRequest request = server.takeRequest(100, TimeUnit.MILLISECONDS);
            if (request == null) {
                break;
            }
            if (request.getPath().startsWith("/api/v1/secrets")) {
                paths.add(URLDecoder.decode(request.getPath(), StandardCharsets.UTF_8));
            }
        }
        return paths;
    }
}
