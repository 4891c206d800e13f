package dev.tollgate.operator.config;

import java.util.List;

/**
 * Secret types the operator never reads, left out of every Secret informer by a field selector so
 * the caches do not hold the cluster's Helm releases, ServiceAccount tokens, pull secrets and TLS
 * keys. A ProviderSecret's key and a SpendKey's token live in Opaque (or other generic) Secrets;
 * none of these types has a place for them.
 */
public final class UnreadSecretTypes {
    public static final List<String> TYPES = List.of(
            "helm.sh/release.v1",                   // every Helm release's rendered manifests: the bulk of most clusters
            "kubernetes.io/service-account-token",
            "kubernetes.io/dockerconfigjson",
            "kubernetes.io/dockercfg",
            "kubernetes.io/tls");                   // the operator reads its own TLS Secret directly, by name

    /** The field the API server selects Secrets by. */
    public static final String FIELD = "type";

    private UnreadSecretTypes() {
    }
}
