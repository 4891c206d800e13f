package dev.tollgate.sidecar.server;

import dev.tollgate.sidecar.api.ClientRequest;
import dev.tollgate.sidecar.api.RequestFields;
import dev.tollgate.sidecar.config.BackendConfig;
import dev.tollgate.sidecar.config.RouteConfig;
import dev.tollgate.sidecar.metering.PriceBook;
import java.util.OptionalLong;

/**
 * Refuses an output-token limit no backend of the route accepts (above each model's output limit in the
 * catalog), before any budget is reserved or provider called: the provider would refuse it anyway.
 */
final class OutputLimit {
    private OutputLimit() {
    }

    /** Throws a 400 naming the field when every backend's model is known and each allows fewer tokens. */
    static void check(ClientRequest request, RouteConfig route, PriceBook prices) {
        Long asked = request.maxTokens();
        if (asked == null) {
            return;
        }
        long largest = 0;
        for (BackendConfig backend : route.backends()) {
            OptionalLong limit = prices.knownMaxOutputTokens(backend.upstreamModel(request.model()));
            if (limit.isEmpty()) {
                return; // a model the catalog does not know may take it; its provider will say
            }
            largest = Math.max(largest, limit.getAsLong());
        }
        if (!route.backends().isEmpty() && asked > largest) {
            throw RequestFields.tooLarge(request.maxTokensField(), asked, largest,
                    "the most output tokens any model of route '" + route.name() + "' produces");
        }
    }
}
