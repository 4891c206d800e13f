package dev.tollgate.sidecar.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BudgetPeriodTest {
    // A Sunday, the last second of February in a leap year.
    private static final Instant NOW = Instant.parse("2026-11-29T23:59:59Z");
    private static final Instant LEAP = Instant.parse("2028-02-29T23:59:59Z");

    @Test
    void periodsStartAndEndOnUtcCalendarBoundaries() {
        assertThat(BudgetPeriod.DAILY.startOf(NOW)).isEqualTo("2026-11-29T00:00:00Z");
        assertThat(BudgetPeriod.DAILY.nextStart(NOW)).isEqualTo("2026-11-30T00:00:00Z");
        assertThat(BudgetPeriod.WEEKLY.startOf(NOW)).as("weeks start on Monday").isEqualTo("2026-11-23T00:00:00Z");
        assertThat(BudgetPeriod.WEEKLY.nextStart(NOW)).isEqualTo("2026-11-30T00:00:00Z");
        assertThat(BudgetPeriod.MONTHLY.startOf(LEAP)).isEqualTo("2028-02-01T00:00:00Z");
        assertThat(BudgetPeriod.MONTHLY.nextStart(LEAP)).isEqualTo("2028-03-01T00:00:00Z");
        assertThat(BudgetPeriod.TOTAL.startOf(NOW)).isEqualTo(Instant.EPOCH);
        assertThat(BudgetPeriod.TOTAL.nextStart(NOW)).as("a total budget never starts again").isNull();
    }

    @Test
    void theNextPeriodStartsExactlyWhereThisOneEnds() {
        for (BudgetPeriod period : new BudgetPeriod[] {BudgetPeriod.DAILY, BudgetPeriod.WEEKLY, BudgetPeriod.MONTHLY}) {
            Instant next = period.nextStart(NOW);
            assertThat(period.startOf(next)).isEqualTo(next);
            assertThat(period.startOf(next.minusNanos(1))).isEqualTo(period.startOf(NOW));
        }
    }
}
