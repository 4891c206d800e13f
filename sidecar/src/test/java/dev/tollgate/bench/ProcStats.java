package dev.tollgate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time and resident memory of a process and its descendants (nginx: master and workers),
 * read from Linux's /proc.
 */
final class ProcStats {
    private final long nanosPerTick;

    /** @param clockTicksPerSecond the kernel's USER_HZ ({@code getconf CLK_TCK}) */
    ProcStats(long clockTicksPerSecond) {
        this.nanosPerTick = 1_000_000_000L / clockTicksPerSecond;
    }

    static ProcStats forThisMachine() throws IOException, InterruptedException {
        Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
        String out = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (getconf.waitFor() != 0) {
            throw new IOException("getconf CLK_TCK failed: " + out);
        }
        return new ProcStats(Long.parseLong(out));
    }

    /** User plus system CPU time so far (utime + stime in /proc/PID/stat; all threads, live and ended). */
    long cpuNanos(ProcessHandle root) {
        return tree(root).mapToLong(p -> {
            String stat = read(p, "stat");
            // Fields after the command name, which is in parentheses and may itself contain spaces.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[14 - 3]);
            long stime = Long.parseLong(fields[15 - 3]);
            return (utime + stime) * nanosPerTick;
        }).sum();
    }

    /**
     * CPU time so far of each live thread of one process, summed by thread name with its trailing digits
     * dropped ({@code XNIO-1 I/O-1} and {@code -2} together); threads that ended are only in {@link #cpuNanos}.
     */
    Map<String, Long> cpuNanosByThread(ProcessHandle process) {
        Map<String, Long> byName = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            tasks.forEach(task -> {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException ended) {
                    return;
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "");
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
                byName.merge(name, ticks * nanosPerTick, Long::sum);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("process " + process.pid() + " is gone", e);
        }
        return byName;
    }

    /** Resident set size now (VmRSS in /proc/PID/status), summed over the processes. */
    long rssBytes(ProcessHandle root) {
        return tree(root).mapToLong(p -> read(p, "status").lines()
                .filter(l -> l.startsWith("VmRSS:"))
                .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no VmRSS for process " + p.pid())))
                .sum();
    }

    /** The share of the whole machine's CPU time that was not idle over {@code window} (/proc/stat). */
    static double machineBusyShare(Duration window) throws IOException, InterruptedException {
        long[] before = cpuLine();
        Thread.sleep(window.toMillis());
        long[] after = cpuLine();
        long total = 0;
        long idle = 0;
        for (int i = 0; i < after.length; i++) {
            long delta = after[i] - before[i];
            total += delta;
            if (i == 3 || i == 4) { // idle, iowait
                idle += delta;
            }
        }
        return total == 0 ? 0 : (double) (total - idle) / total;
    }

    /** The "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal (guest time is in user). */
    private static long[] cpuLine() throws IOException {
        String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
        String[] fields = line.trim().split("\\s+");
        long[] ticks = new long[8];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = Long.parseLong(fields[i + 1]);
        }
        return ticks;
    }

    private static Stream<ProcessHandle> tree(ProcessHandle root) {
        return Stream.concat(Stream.of(root), root.descendants());
    }

    private static String read(ProcessHandle process, String file) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), file));
        } catch (IOException e) {
            throw new UncheckedIOException("process " + process.pid() + " is gone", e);
        }
    }
}
