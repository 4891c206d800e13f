package dev.tollgate.operator.lease;

import dev.tollgate.operator.api.SpendKeyPeriod;
import dev.tollgate.sidecar.metering.Money;
import java.time.Instant;

/** One period's running totals, mutable while a ledger is worked on. */
final class Figures {
    long spent;
    long unreconciled;
    long requests;
    long inputTokens;
    long outputTokens;

    static Figures of(String spent, String unreconciled, Long requests, Long inputTokens, Long outputTokens) {
        Figures f = new Figures();
        f.spent = Ledger.micros(spent);
        f.unreconciled = Ledger.micros(unreconciled);
        f.requests = requests == null ? 0 : requests;
        f.inputTokens = inputTokens == null ? 0 : inputTokens;
        f.outputTokens = outputTokens == null ? 0 : outputTokens;
        return f;
    }

    static Figures of(SpendKeyPeriod period) {
        return of(period.spent(), period.unreconciled(), period.requests(), period.inputTokens(), period.outputTokens());
    }

    SpendKeyPeriod toPeriod(Instant start) {
        return new SpendKeyPeriod(start.toString(), Money.formatUsd(spent), Money.formatUsd(unreconciled), requests, inputTokens,
                outputTokens);
    }

    void add(Figures other) {
        spent += other.spent;
        unreconciled += other.unreconciled;
        requests += other.requests;
        inputTokens += other.inputTokens;
        outputTokens += other.outputTokens;
    }

    /** An estimate of unreported spend, counted until the truth arrives ({@code micros} may be negative to take it back). */
    void estimate(long micros) {
        spent += micros;
        unreconciled += micros;
    }
}
