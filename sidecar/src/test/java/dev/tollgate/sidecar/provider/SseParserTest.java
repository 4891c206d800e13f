package dev.tollgate.sidecar.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.sidecar.testing.Events;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class SseParserTest {
    private static Events.Reader reader(String text) {
        return Events.reader(new SseParser(), new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsNamedEventsMultiLineDataCommentsAndCrLf() throws IOException {
        Events.Reader r = reader(": ping\r\nevent: message_start\r\ndata: {\"a\":1}\r\n\r\ndata: line one\ndata: line two\n\n"
                + "id: 7\nretry: 100\ndata:no-space\n\n");

        assertThat(r.next()).isEqualTo(new SseEvent("message_start", "{\"a\":1}"));
        assertThat(r.next()).isEqualTo(new SseEvent(null, "line one\nline two"));
        assertThat(r.next()).isEqualTo(new SseEvent(null, "no-space"));
        assertThat(r.next()).isNull();
    }

    @Test
    void anUnterminatedLastEventIsDropped() throws IOException {
        Events.Reader r = reader("data: complete\n\ndata: half");
        assertThat(r.next().data()).isEqualTo("complete");
        assertThat(r.next()).isNull();
    }

    @Test
    void multiByteCharactersSplitAcrossReadsSurvive() throws IOException {
        String text = "data: " + "é🙂".repeat(3000) + "\n\n";
        assertThat(reader(text).next().data()).isEqualTo("é🙂".repeat(3000));
    }

    @Test
    void aLineThatNeverEndsFailsTheStreamInsteadOfGrowingMemory() throws IOException {
        SseParser parser = new SseParser();
        byte[] piece = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
        parser.feed(ByteBuffer.wrap("data: ".getBytes(StandardCharsets.UTF_8)), new ArrayList<>());

        assertThatThrownBy(() -> {
            for (int i = 0; i < 1_000; i++) { // 64 MB, far past the limit
                parser.feed(ByteBuffer.wrap(piece), new ArrayList<>());
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("larger than " + SseParser.MAX_EVENT_BYTES);
    }
}
