package dev.tollgate.bench;

import static dev.tollgate.bench.Report.NGINX;
import static dev.tollgate.bench.Report.SIDECAR;

import dev.tollgate.bench.Measurement.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * DESIGN.md section 10's targets. Latency and CPU are judged as ratios against nginx in the same
 * run, never as absolute numbers, because the load generator, the proxy and the emulator share
 * one small machine: only the difference between two proxies under the same load is the proxy's.
 */
final class PerformanceTargets {
    static final String REFERENCE_LOAD = "1000/s";
    private static final long P50_SLACK_NANOS = 100_000;
    private static final long P99_SLACK_NANOS = 500_000;
    private static final long STREAM_TTLB_SLACK_NANOS = 300_000;
    private static final double CPU_RATIO = 2.0;
    private static final double THROUGHPUT_SHARE = 0.5;
    private static final long RSS_LIMIT_BYTES = 80L * 1024 * 1024;
    private static final long PEAK_RSS_LIMIT_BYTES = 96L * 1024 * 1024;
    private static final long STARTUP_LIMIT_MILLIS = 1000;
    static final int REFERENCE_CLIENTS = 2000;
    private static final long CONCURRENT_TTFB_SLACK_NANOS = 20_000_000;

    /** One target: {@code detail} carries the figures it was judged on. */
    record Check(String what, boolean pass, String detail) {
    }

    private PerformanceTargets() {
    }

    /** The checks this run can judge: comparisons need both nginx and the sidecar, limits the sidecar. */
    static List<Check> evaluate(Report report, String streamLoad) {
        List<Check> checks = new ArrayList<>();
        pair(report, Kind.FIXED_RATE, REFERENCE_LOAD).ifPresent(p -> {
            checks.add(slack("added p50 at " + REFERENCE_LOAD + " within 0.1 ms of nginx's", p,
                    p.sidecar.total().p50(), p.nginx.total().p50(), P50_SLACK_NANOS));
            checks.add(slack("added p99 at " + REFERENCE_LOAD + " within 0.5 ms of nginx's", p,
                    p.sidecar.total().p99(), p.nginx.total().p99(), P99_SLACK_NANOS));
            double ratio = p.sidecar.cpuMicrosPerRequest() / p.nginx.cpuMicrosPerRequest();
            checks.add(judged("CPU per request at " + REFERENCE_LOAD + " at most 2x nginx's", p, ratio <= CPU_RATIO,
                    String.format(Locale.ROOT, "sidecar %.1f µs, nginx %.1f µs: %.2fx",
                            p.sidecar.cpuMicrosPerRequest(), p.nginx.cpuMicrosPerRequest(), ratio)));
        });
        pair(report, Kind.MAXIMUM, "max").ifPresent(p -> {
            double share = p.sidecar.throughput() / p.nginx.throughput();
            checks.add(judged("maximum throughput at least 50% of nginx's", p, share >= THROUGHPUT_SHARE,
                    String.format(Locale.ROOT, "sidecar %.0f/s, nginx %.0f/s: %.0f%%",
                            p.sidecar.throughput(), p.nginx.throughput(), share * 100)));
        });
        pair(report, Kind.STREAMING, streamLoad).ifPresent(p -> {
            checks.add(slack("streaming time to last byte (p50) within 0.3 ms of nginx's", p,
                    p.sidecar.total().p50(), p.nginx.total().p50(), STREAM_TTLB_SLACK_NANOS));
            // A buffering proxy holds the first event until the stream ends: its first byte comes
            // about a stream's length late, where a streaming proxy adds about a hop.
            long stream = p.sidecar.total().p50() - p.nginx.firstByte().p50();
            long late = p.sidecar.firstByte().p50() - p.nginx.firstByte().p50();
            checks.add(judged("streaming without buffering", p, late < stream / 2,
                    "first byte p50 " + Report.ms(p.sidecar.firstByte().p50()) + " ms (nginx "
                            + Report.ms(p.nginx.firstByte().p50()) + " ms), last byte p50 "
                            + Report.ms(p.sidecar.total().p50()) + " ms"));
        });
        report.concurrency(SIDECAR, REFERENCE_CLIENTS).ifPresent(sidecar -> report.concurrency(NGINX, REFERENCE_CLIENTS)
                .ifPresent(nginx -> checks.addAll(concurrent(sidecar, nginx))));
        report.rssAfterLoad(SIDECAR).ifPresent(rss -> checks.add(new Check("RSS after the load at most 80 MB",
                rss <= RSS_LIMIT_BYTES, String.format(Locale.ROOT, "sidecar %.1f MB", Report.mb(rss)))));
        report.sidecarStartup().ifPresent(startup -> checks.add(new Check("startup to ready at most 1 s",
                startup.toMillis() <= STARTUP_LIMIT_MILLIS, startup.toMillis() + " ms from exec to /readyz 200")));
        return checks;
    }

    /** Section 10's targets at 2,000 concurrent streams. */
    private static List<Check> concurrent(Report.Concurrency sidecar, Report.Concurrency nginx) {
        String at = REFERENCE_CLIENTS + " concurrent streams: ";
        long ttfb = sidecar.firstByte().p99() - nginx.firstByte().p99();
        double cpu = sidecar.cpuMicrosPerStream() / nginx.cpuMicrosPerStream();
        return List.of(
                new Check(at + "none failed", sidecar.failed() == 0,
                        "sidecar " + sidecar.failed() + " failed of " + (sidecar.streams() + sidecar.failed())
                                + (sidecar.firstError() == null ? "" : ", first: " + sidecar.firstError())),
                new Check(at + "TTFB p99 within 20 ms of nginx's", ttfb <= CONCURRENT_TTFB_SLACK_NANOS,
                        "sidecar " + Report.ms(sidecar.firstByte().p99()) + " ms, nginx " + Report.ms(nginx.firstByte().p99())
                                + " ms: " + Report.signedMs(ttfb) + " ms"),
                new Check(at + "CPU per stream at most 2x nginx's", cpu <= CPU_RATIO,
                        String.format(Locale.ROOT, "sidecar %.0f µs, nginx %.0f µs: %.2fx",
                                sidecar.cpuMicrosPerStream(), nginx.cpuMicrosPerStream(), cpu)),
                new Check(at + "peak RSS at most 96 MB", sidecar.peakRssBytes() <= PEAK_RSS_LIMIT_BYTES,
                        String.format(Locale.ROOT, "sidecar %.1f MB", Report.mb(sidecar.peakRssBytes()))));
    }

    private record Pair(Measurement sidecar, Measurement nginx) {
    }

    private static Optional<Pair> pair(Report report, Kind kind, String load) {
        return report.find(kind, load, SIDECAR)
                .flatMap(s -> report.find(kind, load, NGINX).map(n -> new Pair(s, n)));
    }

    private static Check slack(String what, Pair p, long sidecar, long nginx, long slack) {
        return judged(what, p, sidecar - nginx <= slack, "sidecar " + Report.ms(sidecar) + " ms, nginx "
                + Report.ms(nginx) + " ms: " + Report.signedMs(sidecar - nginx) + " ms (limit "
                + Report.signedMs(slack) + ")");
    }

    /** A figure computed from partly failed runs says nothing: failures make the check a miss. */
    private static Check judged(String what, Pair p, boolean pass, String detail) {
        long failed = p.sidecar.failed() + p.nginx.failed();
        return failed == 0 ? new Check(what, pass, detail)
                : new Check(what, false, detail + "; but " + failed + " requests failed");
    }
}
