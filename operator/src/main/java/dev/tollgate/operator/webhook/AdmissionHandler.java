package dev.tollgate.operator.webhook;

import io.fabric8.kubernetes.api.model.GroupVersionKind;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the API server's AdmissionReview for a pod: allowed, with the JSON patch that injects
 * the sidecar when the pod asks for it. Whatever goes wrong on our side, the pod is still allowed
 * (with a warning the user sees in kubectl): blocking pod creation is the failurePolicy's call,
 * never ours. Only a body that is not an AdmissionReview at all is refused.
 */
public final class AdmissionHandler {
    static final String API_VERSION = "admission.k8s.io/v1";
    private static final Logger LOG = LoggerFactory.getLogger(AdmissionHandler.class);
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final Supplier<InjectionSettings> settings;
    private final NamespaceLabels namespaceLabels;

    /**
     * @param settings asked on every review, so a rotated CA or a learned cluster version takes
     *                 effect for the next pod
     */
    public AdmissionHandler(Supplier<InjectionSettings> settings, NamespaceLabels namespaceLabels) {
        this.settings = settings;
        this.namespaceLabels = namespaceLabels;
    }

    /** The AdmissionReview JSON to answer with. */
    public String review(String body) throws InvalidReviewException {
        AdmissionRequest request = parse(body).getRequest();
        AdmissionResponse response;
        try {
            response = answer(request);
        } catch (RuntimeException e) {
            LOG.error("admission {} failed; the pod is admitted without the sidecar", request.getUid(), e);
            response = allowedWithWarning(request, "internal error, see the operator's log");
        }
        return SERIALIZATION.asJson(new AdmissionReviewBuilder()
                .withApiVersion(API_VERSION).withKind("AdmissionReview").withResponse(response).build());
    }

    private static AdmissionReview parse(String body) throws InvalidReviewException {
        AdmissionReview review;
        try {
            review = SERIALIZATION.unmarshal(body, AdmissionReview.class);
        } catch (RuntimeException e) {
            throw new InvalidReviewException("the body is not JSON");
        }
        if (review == null || !API_VERSION.equals(review.getApiVersion()) || !"AdmissionReview".equals(review.getKind())) {
            throw new InvalidReviewException("expected an " + API_VERSION + " AdmissionReview");
        }
        AdmissionRequest request = review.getRequest();
        if (request == null || request.getUid() == null || request.getUid().isBlank()) {
            throw new InvalidReviewException("the AdmissionReview has no request.uid");
        }
        return review;
    }

    private AdmissionResponse answer(AdmissionRequest request) {
        GroupVersionKind kind = request.getKind();
        boolean podCreate = kind != null && "Pod".equals(kind.getKind()) && (kind.getGroup() == null || kind.getGroup().isEmpty())
                && "CREATE".equals(request.getOperation());
        if (!podCreate) {
            return allowedWithWarning(request, "the webhook only mutates pods on CREATE");
        }
        Pod pod;
        try {
            pod = SERIALIZATION.convertValue(request.getObject(), Pod.class);
        } catch (IllegalArgumentException e) {
            return allowedWithWarning(request, "request.object is not a pod");
        }
        if (pod == null || pod.getMetadata() == null || pod.getSpec() == null) {
            return allowedWithWarning(request, "request.object is not a pod");
        }
        try {
            Map<String, String> nsLabels = SidecarInjection.decidedByPod(pod) ? Map.of() : namespaceLabels.of(request.getNamespace());
            List<JsonPatchOperation> patch = SidecarInjection.patch(pod, nsLabels, settings.get());
            if (patch.isEmpty()) {
                return allowed(request).build();
            }
            LOG.info("injecting the sidecar into pod {}/{}", request.getNamespace(), podName(pod));
            return allowed(request)
                    .withPatchType("JSONPatch")
                    .withPatch(Base64.getEncoder().encodeToString(
                            SERIALIZATION.asJson(patch).getBytes(StandardCharsets.UTF_8)))
                    .build();
        } catch (InjectionException e) {
            // A Deployment's pods are created by its ReplicaSet controller, which the warning reaches instead of the user.
            LOG.warn("pod {}/{} admitted without the sidecar: {}", request.getNamespace(), podName(pod), e.getMessage());
            return allowedWithWarning(request, e.getMessage());
        } catch (KubernetesClientException e) {
            LOG.warn("cannot read namespace {} for admission {}: {}", request.getNamespace(), request.getUid(), e.getMessage());
            return allowedWithWarning(request, "cannot read namespace " + request.getNamespace());
        }
    }

    private static AdmissionResponseBuilder allowed(AdmissionRequest request) {
        return new AdmissionResponseBuilder().withUid(request.getUid()).withAllowed(true);
    }

    private static AdmissionResponse allowedWithWarning(AdmissionRequest request, String why) {
        return allowed(request).withWarnings("tollgate: sidecar not injected: " + why).build();
    }

    /** A Deployment's pod has no name yet at admission, only its generateName. */
    private static String podName(Pod pod) {
        String name = pod.getMetadata().getName();
        return name != null && !name.isEmpty() ? name : pod.getMetadata().getGenerateName() + "*";
    }
}
