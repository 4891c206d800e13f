package dev.tollgate.operator.lease;

import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts SpendKey status writes from the Fabric8 mock API server's request log, which names each request and the
 * status it was answered with (its recorded requests keep no answer, so a 409 cannot be told from them).
 */
final class StatusWriteLog extends Handler implements AutoCloseable {
    private static final Logger MOCK_SERVER = Logger.getLogger("io.fabric8.mockwebserver.MockWebServer");
    private static final Pattern STATUS_PATCH = Pattern.compile(
            "received request: PATCH /apis/tollgate\\.dev/v1alpha1/namespaces/[^/]+/spendkeys/[^/]+/status .* responded: HTTP/1\\.1 (\\d{3})");

    private static final SimpleFormatter FORMAT = new SimpleFormatter();

    private final AtomicLong written = new AtomicLong();
    private final AtomicLong conflicts = new AtomicLong();

    static StatusWriteLog attach() {
        StatusWriteLog log = new StatusWriteLog();
        MOCK_SERVER.addHandler(log);
        return log;
    }

    /** Status PATCHes answered 2xx so far. */
    long written() {
        return written.get();
    }

    /** Status PATCHes refused with 409 (another replica wrote since the read) so far. */
    long conflicts() {
        return conflicts.get();
    }

    @Override
    public void publish(LogRecord record) {
        Matcher patch = STATUS_PATCH.matcher(FORMAT.formatMessage(record));
        if (!patch.find()) {
            return;
        }
        if (patch.group(1).startsWith("2")) {
            written.incrementAndGet();
        } else if (patch.group(1).equals("409")) {
            conflicts.incrementAndGet();
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        MOCK_SERVER.removeHandler(this);
    }
}
