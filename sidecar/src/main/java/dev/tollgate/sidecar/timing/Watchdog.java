package dev.tollgate.sidecar.timing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sidecar's one timer: timeouts (first token, attempt, idle, request), backoff waits and the
 * mock provider's pacing run an action when their time comes, so no request ever sleeps a thread.
 * One daemon thread wakes every {@value #TICK_MS} ms and runs the due alarms (actions must not
 * block: they share the thread). Arming and cancelling are a set insert and removal, and wake no
 * thread: a per-alarm scheduler would wake its thread for nearly every request, which costs more
 * than the request itself.
 *
 * <p>Alarms sit on a wheel of {@value #SLOTS} slots, one per tick, by their deadline's tick: each
 * tick visits one slot, so thousands of streams' long timeouts cost a visit once per turn of the
 * wheel ({@value #SLOTS} ticks), not once per tick.
 */
public final class Watchdog {
    static final long TICK_MS = 10;
    static final int SLOTS = 512;
    private static final long TICK_NANOS = TICK_MS * 1_000_000;
    private static final long ORIGIN = System.nanoTime();
    @SuppressWarnings("unchecked")
    private static final Set<Alarm>[] WHEEL = new Set[SLOTS];
    /** The tick whose slot the ticker visits now or visited last: arming at or before it goes one later. */
    private static volatile long visiting;

    static {
        for (int i = 0; i < SLOTS; i++) {
            WHEEL[i] = ConcurrentHashMap.newKeySet();
        }
        Thread ticker = new Thread(Watchdog::tick, "tollgate-timer");
        ticker.setDaemon(true);
        ticker.start();
    }

    private Watchdog() {
    }

    /** Runs {@code onExpiry} once, about {@code millis} from now, unless the alarm is cancelled first. */
    public static Alarm arm(long millis, Runnable onExpiry) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        Alarm alarm = new Alarm(deadline, onExpiry);
        long tick = Math.floorDiv(deadline - ORIGIN + TICK_NANOS - 1, TICK_NANOS);
        while (true) {
            tick = Math.max(tick, visiting + 1);
            Set<Alarm> slot = WHEEL[(int) (tick % SLOTS)];
            alarm.slot = slot;
            slot.add(alarm);
            // The ticker announces a tick before it reads its slot: if it has not reached this tick yet, it will
            // see the alarm; if it has, it may have missed it, so the alarm moves on to the next tick.
            if (visiting < tick || !slot.remove(alarm)) {
                return alarm;
            }
        }
    }

    private static void tick() {
        long next = 1;
        while (true) {
            try {
                Thread.sleep(TICK_MS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long due = Math.floorDiv(now - ORIGIN, TICK_NANOS);
            // Catch up on every tick slept through, but visit each slot at most once a pass.
            for (long t = Math.max(next, due - SLOTS + 1); t <= due; t++) {
                visiting = t;
                for (Alarm alarm : WHEEL[(int) (t % SLOTS)]) {
                    if (now - alarm.deadlineNanos >= 0 && alarm.slot.remove(alarm)) {
                        alarm.fire();
                    }
                }
            }
            next = Math.max(next, due + 1);
        }
    }

    public static final class Alarm {
        private final long deadlineNanos;
        private final Runnable onExpiry;
        private volatile Set<Alarm> slot;
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
            slot.remove(this);
        }

        /** Whether the deadline passed and the action ran; a failure seen after this is the timeout's. */
        public boolean fired() {
            return fired;
        }
    }
}
