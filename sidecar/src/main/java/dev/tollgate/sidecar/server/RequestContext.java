package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.config.RouteConfig;
import dev.tollgate.sidecar.api.ClientRequest;
import dev.tollgate.sidecar.spend.Admission;
import dev.tollgate.sidecar.spend.SpendKey;
import java.util.concurrent.CompletableFuture;

/** What is known about one request as it goes through the sidecar; filled in step by step. */
final class RequestContext {
    final long startNanos;
    final String requestId;
    final String feature;
    String user;
    SpendKey spendKey;
    ClientRequest request;
    RouteConfig route;
    Admission admission;
    /** Completes if the client goes away before its answer (never for one that stays); see {@link ClientDisconnect}. */
    CompletableFuture<Void> clientLeft = new CompletableFuture<>();

    RequestContext(long startNanos, String requestId, String feature, String user) {
        this.startNanos = startNanos;
        this.requestId = requestId;
        this.feature = feature;
        this.user = user;
    }

    String model() {
        return request == null ? "" : request.model();
    }

    String routeName() {
        return route == null ? "" : route.name();
    }

    String spendKeyName() {
        return spendKey == null ? "" : spendKey.name();
    }
}
