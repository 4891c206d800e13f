package dev.tollgate.operator.reconcile;

import dev.tollgate.operator.api.Conditions;
import dev.tollgate.operator.api.Condition;
import dev.tollgate.operator.config.Problem;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An AIRoute's {@code Accepted} and {@code ResolvedRefs}, read from the problems the snapshot
 * builder reported for it: the conditions say exactly what the sidecars get.
 */
final class RouteConditions {
    /** Reasons the snapshot gives for a backend left out. */
    private static final Set<String> REF_REASONS = Set.of("RefNotFound", "RefNotPermitted", "ProviderNotReady");
    /** Reasons a route is not (fully) served, most serious first. */
    private static final List<String> NOT_ACCEPTED = List.of("Invalid", "NoUsableBackend", "Conflicted");

    private RouteConditions() {
    }

    static List<Condition> of(List<Problem> problems, Long generation, Instant now) {
        List<Problem> refs = problems.stream().filter(p -> REF_REASONS.contains(p.reason())).toList();
        Condition resolved = refs.isEmpty()
                ? Conditions.of("ResolvedRefs", true, "ResolvedRefs",
                        "every provider exists, is ready and allows this namespace", generation, now)
                : Conditions.of("ResolvedRefs", false, refs.get(0).reason(), messages(refs), generation, now);

        Optional<String> notAccepted = NOT_ACCEPTED.stream()
                .filter(reason -> problems.stream().anyMatch(p -> p.reason().equals(reason)))
                .findFirst();
        Condition accepted = notAccepted
                .map(reason -> Conditions.of("Accepted", false, reason,
                        messages(problems.stream().filter(p -> p.reason().equals(reason)).toList()), generation, now))
                .orElseGet(() -> Conditions.of("Accepted", true, "Accepted", "every model is served by this route",
                        generation, now));
        return List.of(accepted, resolved);
    }

    private static String messages(List<Problem> problems) {
        return problems.stream().map(Problem::message).distinct().collect(Collectors.joining("; "));
    }
}
