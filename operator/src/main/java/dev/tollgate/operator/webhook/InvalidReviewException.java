package dev.tollgate.operator.webhook;

/** The request body is not an admission.k8s.io/v1 AdmissionReview with a request: answered 400. */
public final class InvalidReviewException extends Exception {
    public InvalidReviewException(String message) {
        super(message);
    }
}
