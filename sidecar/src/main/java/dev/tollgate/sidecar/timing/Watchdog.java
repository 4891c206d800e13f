package dev.tollgate.sidecar.timing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sidecar's one timer: timeouts (first token, attempt, idle, request), backoff waits and the
 * mock provider's pacing run an action when their time comes, so no request ever sleeps a thread.
 * One daemon thread checks every alarm each {@value #TICK_MS} ms and runs the due ones (actions
 * must not block: they share the thread):
 * arming and cancelling are a set insert and removal, and wake no thread. A per-alarm scheduler
 * would wake its thread for nearly every request, which costs more than the request itself.
 */
public final class Watchdog {
    static final long TICK_MS = 10;
    private static final Set<Alarm> ARMED = ConcurrentHashMap.newKeySet();

    static {
        Thread ticker = new Thread(Watchdog::tick, "tollgate-timer");
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
                // A failing action is its owner's bug; the ticker must go on for everyone else.
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
