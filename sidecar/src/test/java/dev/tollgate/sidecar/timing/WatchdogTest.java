package dev.tollgate.sidecar.timing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WatchdogTest {
    @Test
    void everyAlarmFiresOnceNotBeforeItsTimeAndCancelledOnesNever() throws Exception {
        int alarms = 4_000;
        CountDownLatch due = new CountDownLatch(alarms / 2);
        AtomicInteger early = new AtomicInteger();
        AtomicInteger cancelledFired = new AtomicInteger();
        List<Thread> armers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread armer = new Thread(() -> {
                for (int i = 0; i < alarms / 4; i++) {
                    long millis = i % 50; // 0 to 49 ms: many land on the tick being visited
                    long armedAt = System.nanoTime();
                    if (i % 2 == 0) {
                        Watchdog.arm(millis, () -> {
                            if (System.nanoTime() - armedAt < millis * 1_000_000) {
                                early.incrementAndGet();
                            }
                            due.countDown();
                        });
                    } else {
                        Watchdog.arm(millis + 20, cancelledFired::incrementAndGet).cancel();
                    }
                }
            });
            armer.start();
            armers.add(armer);
        }
        for (Thread armer : armers) {
            armer.join();
        }
        assertThat(due.await(30, TimeUnit.SECONDS)).as("every alarm fired").isTrue();
        assertThat(early).hasValue(0);
        Thread.sleep(200); // past every cancelled alarm's deadline
        assertThat(cancelledFired).hasValue(0);
    }

    @Test
    void anAlarmBeyondOneTurnOfTheWheelWaitsForItsOwnTurn() throws Exception {
        long millis = Watchdog.TICK_MS * Watchdog.SLOTS + 300;
        AtomicLong firedAfter = new AtomicLong();
        CountDownLatch fired = new CountDownLatch(1);
        long armedAt = System.nanoTime();
        Watchdog.Alarm alarm = Watchdog.arm(millis, () -> {
            firedAfter.set(System.nanoTime() - armedAt);
            fired.countDown();
        });
        assertThat(fired.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(alarm.fired()).isTrue();
        assertThat(firedAfter.get()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(millis));
    }
}
