package dev.tollgate.sidecar.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UsageLineTest {
    /** The line's documented time shape: UTC, always milliseconds. */
    private static final DateTimeFormatter SHAPE = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(ZoneOffset.UTC);

    @Test
    void aLinesTimeIsUtcWithMillisecondsWhateverSecondCameBefore() {
        SplittableRandom random = new SplittableRandom(7);
        Instant now = Instant.parse("2026-12-06T05:40:01.000Z");
        for (int i = 0; i < 20_000; i++) {
            // Runs within one second, jumps forwards and backwards, whole seconds and the last millisecond of one.
            Instant t = switch (i % 4) {
                case 0 -> now.plusMillis(random.nextInt(1_000));
                case 1 -> now.plusSeconds(random.nextInt(-100_000_000, 100_000_000)).plusNanos(random.nextInt(1_000_000_000));
                case 2 -> now.plusSeconds(random.nextInt(-5, 5));
                default -> now.plusSeconds(random.nextInt(100)).plusNanos(999_999_999);
            };
            assertThat(UsageLine.time(t)).isEqualTo(SHAPE.format(t));
        }
    }
}
