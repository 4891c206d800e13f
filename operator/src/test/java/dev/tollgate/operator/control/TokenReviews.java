package dev.tollgate.operator.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The API server's TokenReview answers (authentication.k8s.io/v1), as a kube-apiserver gives them
 * for projected ServiceAccount tokens: registered tokens are pods of a namespace when the review
 * asks for audience tollgate.dev; anything else is not authenticated.
 */
public final class TokenReviews {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String[]> pods = new ConcurrentHashMap<>();
    private final Set<String> withoutAudiences = ConcurrentHashMap.newKeySet();
    private final AtomicInteger reviews = new AtomicInteger();
    private final Set<String> reviewed = ConcurrentHashMap.newKeySet();

    private TokenReviews() {
    }

    public static TokenReviews answering(KubernetesMockServer server) {
        TokenReviews answers = new TokenReviews();
        server.expect().post().withPath("/apis/authentication.k8s.io/v1/tokenreviews")
                .andReply(201, request -> answers.answer(request.getUtf8Body())).always();
        return answers;
    }

    /** {@code token} belongs to pod {@code pod} of {@code namespace}, ServiceAccount default. */
    public TokenReviews pod(String token, String namespace, String pod) {
        pods.put(token, new String[] {namespace, pod});
        return this;
    }

    /**
     * Like {@link #pod}, but authenticated by an authenticator that does not check audiences (a legacy
     * Secret-based token, a webhook authenticator): the answer has no {@code status.audiences}.
     */
    TokenReviews podWithoutAudience(String token, String namespace, String pod) {
        withoutAudiences.add(token);
        return pod(token, namespace, pod);
    }

    int reviews() {
        return reviews.get();
    }

    boolean reviewed(String token) {
        return reviewed.contains(token);
    }

    private String answer(String requestBody) {
        reviews.incrementAndGet();
        try {
            JsonNode review = JSON.readTree(requestBody);
            String token = review.path("spec").path("token").asText();
            reviewed.add(token);
            List<String> audiences = JSON.convertValue(review.path("spec").path("audiences"), List.class);
            String[] pod = pods.get(token);
            boolean checksAudience = !withoutAudiences.contains(token);
            Map<String, Object> status = new LinkedHashMap<>();
            if (pod == null || checksAudience && (audiences == null || !audiences.contains("tollgate.dev"))) {
                status.put("user", Map.of());
                status.put("error", "[invalid bearer token, token lookup failed]");
            } else {
                status.put("authenticated", true);
                if (checksAudience) {
                    status.put("audiences", List.of("tollgate.dev"));
                }
                status.put("user", Map.of(
                        "username", "system:serviceaccount:" + pod[0] + ":default",
                        "uid", "6b1e5c1a-" + pod[0],
                        "groups", List.of("system:serviceaccounts", "system:serviceaccounts:" + pod[0], "system:authenticated"),
                        "extra", Map.of("authentication.kubernetes.io/pod-name", List.of(pod[1]),
                                "authentication.kubernetes.io/pod-uid", List.of("0d3f-" + pod[1]))));
            }
            return JSON.writeValueAsString(Map.of("apiVersion", "authentication.k8s.io/v1", "kind", "TokenReview",
                    "spec", review.path("spec"), "status", status));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
