package dev.tollgate.sidecar.routing;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes an upstream stream when a deadline passes, so a blocked read fails promptly (first-token
 * and request timeouts). One daemon thread serves every request.
 */
public final class Watchdog {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tollgate-timeouts");
        t.setDaemon(true);
        return t;
    });

    private Watchdog() {
    }

    /** Runs {@code onExpiry} after {@code millis} unless the returned alarm is cancelled first. */
    public static Alarm arm(long millis, Runnable onExpiry) {
        Alarm alarm = new Alarm(onExpiry);
        alarm.task = TIMER.schedule(alarm::fire, millis, TimeUnit.MILLISECONDS);
        return alarm;
    }

    public static final class Alarm {
        private final Runnable onExpiry;
        private volatile ScheduledFuture<?> task;
        private volatile boolean fired;

        private Alarm(Runnable onExpiry) {
            this.onExpiry = onExpiry;
        }

        private void fire() {
            fired = true;
            onExpiry.run();
        }

        public void cancel() {
            ScheduledFuture<?> t = task;
            if (t != null) {
                t.cancel(false);
            }
        }

        public boolean fired() {
            return fired;
        }
    }
}
