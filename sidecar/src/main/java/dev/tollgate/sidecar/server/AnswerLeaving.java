package dev.tollgate.sidecar.server;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import java.util.ArrayList;
import java.util.List;

/**
 * What a request gives back just before its answer's last bytes leave (its body's memory, its in-flight slot)
 * rather than when the exchange ends: by then the client may already have its answer and have sent the next
 * request, which must find them free. Each is given back once, at whichever comes first.
 */
final class AnswerLeaving {
    private static final AttachmentKey<AnswerLeaving> KEY = AttachmentKey.create(AnswerLeaving.class);

    // Guarded by this.
    private final List<Runnable> releases = new ArrayList<>(2);

    private AnswerLeaving() {
    }

    /** Runs {@code release} when the answer leaves, or when the exchange ends without one. Call on the IO thread. */
    static void onLeaving(HttpServerExchange exchange, Runnable release) {
        AnswerLeaving leaving = exchange.getAttachment(KEY);
        if (leaving == null) {
            AnswerLeaving created = new AnswerLeaving();
            exchange.putAttachment(KEY, created);
            exchange.addExchangeCompleteListener((ex, next) -> {
                created.run();
                next.proceed();
            });
            leaving = created;
        }
        synchronized (leaving) {
            leaving.releases.add(release);
        }
    }

    /** The answer's last bytes are about to be written. */
    static void now(HttpServerExchange exchange) {
        AnswerLeaving leaving = exchange.getAttachment(KEY);
        if (leaving != null) {
            leaving.run();
        }
    }

    private void run() {
        List<Runnable> due;
        synchronized (this) {
            due = List.copyOf(releases);
            releases.clear();
        }
        due.forEach(Runnable::run);
    }
}
