package dev.tollgate.operator.control;

/** Who called the control API, as the API server vouched for the caller's ServiceAccount token. */
public record PodIdentity(String namespace, String serviceAccount, String pod) {
}
