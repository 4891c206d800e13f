package dev.tollgate.sidecar.spend;

import static dev.tollgate.sidecar.metering.Money.parseUsd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.sidecar.config.BudgetPeriod;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With a ledger writer (local mode), a key uses budget only once the writer holds it: whatever a crash cuts
 * short, the last ledger written counts at least what was reserved, and a restart counts what was held as spent.
 */
class HeldBudgetTest {
    private final TestClock clock = new TestClock("2026-03-10T12:00:00Z");
    private final List<SpendKeyLedger> written = new ArrayList<>();
    private boolean diskFull;
    private final SpendKeyRegistry registry = new SpendKeyRegistry(clock, ledgers -> {
        if (diskFull) {
            throw new IOException("No space left on device");
        }
        written.add(ledgers.get(0));
    });
    private final TestKey bot = TestKey.named("team-a/bot").budget("10.00", BudgetPeriod.TOTAL);

    private SpendKeyLedger lastWritten() {
        return written.get(written.size() - 1);
    }

    @Test
    void everyReservationIsHeldOnDiskBeforeItIsUsedAndWritesAreRare() throws SpendRejection {
        SpendKey key = bot.in(registry);
        long reserved = 0;
        List<Admission> open = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            open.add(key.admit("chat", 10, parseUsd("0.01")));
            reserved += parseUsd("0.01");
            SpendKeyLedger disk = lastWritten();
            assertThat(disk.spentMicros() + disk.heldMicros()).as("after reservation " + i).isGreaterThanOrEqualTo(reserved);
        }
        // Each write sets aside a fiftieth of the limit beyond the request: 40 reservations of 0.01 take two.
        assertThat(written).hasSize(2);
        open.forEach(a -> a.settle(parseUsd("0.004"), 5, 5));
        assertThat(key.ledger().spentMicros()).isEqualTo(40 * parseUsd("0.004"));
    }

    @Test
    void onceABurstSettlesTheNextWriteHoldsOnlyASliceAgain() throws Exception {
        SpendKey key = bot.in(registry);
        List<Admission> burst = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            burst.add(key.admit("chat", 10, parseUsd("0.10")));
        }
        SpendKeyLedger atPeak = lastWritten();
        assertThat(atPeak.spentMicros() + atPeak.heldMicros()).isGreaterThanOrEqualTo(parseUsd("4.00"));
        burst.forEach(a -> a.settle(parseUsd("0.001"), 5, 5));

        registry.writeLedgers();

        // A crash now costs the spend and a fiftieth of the limit, not the burst's worst cases.
        SpendKeyLedger after = lastWritten();
        assertThat(after.spentMicros()).isEqualTo(parseUsd("0.04"));
        assertThat(after.heldMicros()).isEqualTo(parseUsd("0.20"));
        key.admit("chat", 10, parseUsd("0.15")).settle(parseUsd("0.15"), 5, 5);
        assertThat(lastWritten()).as("a request within the slice needs no write").isSameAs(after);
        key.admit("chat", 10, parseUsd("0.10"));
        SpendKeyLedger raised = lastWritten();
        assertThat(raised.spentMicros() + raised.heldMicros()).isGreaterThanOrEqualTo(parseUsd("0.29"));
    }

    @Test
    void aRestartCountsWhatWasHeldAsSpent() throws SpendRejection {
        SpendKey key = bot.in(registry);
        key.admit("chat", 10, parseUsd("0.50"));
        SpendKeyLedger atCrash = lastWritten();

        SpendKeyRegistry restarted = new SpendKeyRegistry(clock, ledgers -> { });
        SpendKey again = bot.in(restarted);
        restarted.restore(List.of(atCrash));

        assertThat(again.ledger().spentMicros()).isEqualTo(atCrash.spentMicros() + atCrash.heldMicros())
                .isGreaterThanOrEqualTo(parseUsd("0.50"));
        assertThat(again.remainingMicros()).isEqualTo(parseUsd("10.00") - again.ledger().spentMicros());
    }

    @Test
    void aCleanStopReleasesWhatWasSetAsideAndAFailingDiskAdmitsNothingUnrecorded() throws Exception {
        SpendKey key = bot.in(registry);
        key.admit("chat", 10, parseUsd("0.01")).settle(parseUsd("0.01"), 5, 5);
        assertThat(key.ledger().heldMicros()).isPositive();
        registry.releaseHeadroom();
        registry.writeLedgers();
        assertThat(lastWritten().heldMicros()).isZero();
        assertThat(lastWritten().spentMicros()).isEqualTo(parseUsd("0.01"));

        diskFull = true;
        assertThatThrownBy(() -> key.admit("chat", 10, parseUsd("0.01"))).isInstanceOf(SpendRejection.class);
        assertThat(key.ledger().spentMicros()).isEqualTo(parseUsd("0.01"));
    }
}
