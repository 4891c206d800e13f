package dev.tollgate.sidecar.routing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fires timeouts (first token, request, drain) by calling an abort action when a deadline passes,
 * so a blocked read fails promptly. One daemon thread checks every alarm each {@value #TICK_MS} ms:
 * arming and cancelling are a set insert and removal, and wake no thread. A per-alarm scheduler
 * would wake its thread for nearly every request, which costs more than the request itself.
 */
public final class Watchdog {
    static final long TICK_MS = 10;
    private static final Set<Alarm> ARMED = ConcurrentHashMap.newKeySet();

    static {
        Thread ticker = new Thread(Watchdog::tick, "tollgate-timeouts");
        ticker.setDaemon(true);
        ticker.start();
    }

    private Watchdog() {
    }

    /** Runs {@code onExpiry} once, about {@code millis} from now, unless the alarm is cancelled first. */
    public static Alarm arm(long millis, Runnable onExpiry) {
        Alarm alarm = new Alarm(System.nanoTime() + millis * 1_000_000, onExpiry);
        ARMED.add(alarm);
        return alarm;
    }

    private static void tick() {
        while (true) {
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Alarm alarm : ARMED) {
                if (now - alarm.deadlineNanos >= 0 && ARMED.remove(alarm)) {
                    alarm.fire();
                }
            }
        }
    }

    public static final class Alarm {
        private final long deadlineNanos;
        private final Runnable onExpiry;
        private volatile boolean fired;

        private Alarm(long deadlineNanos, Runnable onExpiry) {
            this.deadlineNanos = deadlineNanos;
            this.onExpiry = onExpiry;
        }

        private void fire() {
            fired = true;
            try {
                onExpiry.run();
            } catch (RuntimeException e) {
                // An abort that fails leaves the read to end on its own; the ticker must go on.
            }
        }

        public void cancel() {
            ARMED.remove(this);
        }

        /** Whether the deadline passed and the action ran; a failure seen after this is the timeout's. */
        public boolean fired() {
            return fired;
        }
    }
}
