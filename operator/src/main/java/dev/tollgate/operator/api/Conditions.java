package dev.tollgate.operator.api;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Conditions as Kubernetes keeps them: {@code lastTransitionTime} moves only when the status flips. */
public final class Conditions {
    public static final String TRUE = "True";
    public static final String FALSE = "False";

    private Conditions() {
    }

    /** A condition computed now, stamped with {@code now}; {@link #carryOver} keeps an older stamp. */
    public static Condition of(String type, boolean holds, String reason, String message, Long generation, Instant now) {
        return new Condition(type, holds ? TRUE : FALSE, reason, message, stamp(now), generation);
    }

    /** {@code next} with each condition's previous {@code lastTransitionTime} kept where its status did not flip. */
    public static List<Condition> carryOver(List<Condition> previous, List<Condition> next) {
        return next.stream().map(c -> find(previous, c.type())
                .filter(old -> old.status().equals(c.status()) && old.lastTransitionTime() != null)
                .map(old -> new Condition(c.type(), c.status(), c.reason(), c.message(), old.lastTransitionTime(),
                        c.observedGeneration()))
                .orElse(c)).toList();
    }

    /** Conditions of {@code next} whose status or reason differs from {@code previous}: what deserves an event. */
    public static List<Condition> changed(List<Condition> previous, List<Condition> next) {
        return next.stream().filter(c -> find(previous, c.type())
                .map(old -> !old.status().equals(c.status()) || !Objects.equals(old.reason(), c.reason()))
                .orElse(true)).toList();
    }

    public static Optional<Condition> find(List<Condition> conditions, String type) {
        return conditions == null ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.type())).findFirst();
    }

    public static boolean holds(Condition condition) {
        return TRUE.equals(condition.status());
    }

    /** RFC 3339 in whole seconds, as metav1.Time serialises. */
    private static String stamp(Instant now) {
        return now.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
