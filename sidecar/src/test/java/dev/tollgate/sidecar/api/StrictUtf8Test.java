package dev.tollgate.sidecar.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Agrees with the JDK's strict UTF-8 decoder on every short byte sequence and on random text with damage. */
class StrictUtf8Test {
    @Test
    void acceptsExactlyWhatTheJdksStrictDecoderAcceptsForEverySequenceOfUpToThreeBytesAndManyOfFour() {
        byte[] one = new byte[1];
        for (int a = 0; a < 256; a++) {
            one[0] = (byte) a;
            assertAgrees(one);
            for (int b = 0; b < 256; b++) {
                byte[] two = {(byte) a, (byte) b};
                assertAgrees(two);
                for (int c = 0x70; c < 0xD0; c += 3) { // both sides of the continuation range
                    assertAgrees(new byte[] {(byte) a, (byte) b, (byte) c});
                    if (a >= 0xEF && a <= 0xF5) {
                        assertAgrees(new byte[] {(byte) a, (byte) b, (byte) c, (byte) 0x80});
                        assertAgrees(new byte[] {(byte) a, (byte) b, (byte) c, (byte) 0xC0});
                    }
                }
            }
        }
    }

    @Test
    void findsTheFirstDamagedSequenceInLongText() {
        byte[] text = "Grüße, 世界! 🙂 — a prompt with some of everything. ".repeat(50).getBytes(StandardCharsets.UTF_8);
        assertThat(StrictUtf8.firstInvalidByte(text)).isEqualTo(-1);
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            byte[] damaged = text.clone();
            damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            damaged[random.nextInt(damaged.length)] = (byte) random.nextInt(256);
            assertAgrees(damaged);
        }
    }

    private static void assertAgrees(byte[] bytes) {
        assertThat(StrictUtf8.firstInvalidByte(bytes)).as(java.util.HexFormat.of().formatHex(bytes)).isEqualTo(jdk(bytes));
    }

    /** Where the JDK's reporting decoder stops, or -1. */
    private static int jdk(byte[] bytes) {
        var decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length * 2 + 2);
        var result = decoder.decode(in, out, true);
        if (result.isError()) {
            return in.position();
        }
        return decoder.flush(out).isError() ? in.position() : -1;
    }
}
