package dev.tollgate.sidecar.provider.bedrock;

import static dev.tollgate.sidecar.provider.bedrock.BedrockTestSupport.concat;
import static dev.tollgate.sidecar.provider.bedrock.BedrockTestSupport.event;
import static dev.tollgate.sidecar.provider.bedrock.BedrockTestSupport.exception;
import static dev.tollgate.sidecar.provider.bedrock.BedrockTestSupport.frame;
import static dev.tollgate.sidecar.provider.bedrock.BedrockTestSupport.rawFrame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.testing.Events;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventStreamParserTest {

    @Test
    void readsEventsInOrderAndEndsCleanlyAtAMessageBoundary() throws IOException {
        byte[] bytes = concat(List.of(
                event("messageStart", "{\"p\":\"abcd\",\"role\":\"assistant\"}"),
                event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hé\"},\"p\":\"ab\"}")));
        Events.Reader reader = Events.reader(new EventStreamParser(), new ByteArrayInputStream(bytes));

        assertThat(reader.next()).isEqualTo(new SseEvent("messageStart", "{\"p\":\"abcd\",\"role\":\"assistant\"}"));
        assertThat(reader.next()).isEqualTo(new SseEvent("contentBlockDelta",
                "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hé\"},\"p\":\"ab\"}"));
        assertThat(reader.next()).isNull();
    }

    @Test
    void aFrameArrivingInPiecesAcrossManyReadsIsReassembled() throws IOException {
        byte[] bytes = concat(List.of(event("messageStop", "{\"stopReason\":\"end_turn\"}"),
                event("metadata", "{\"usage\":{\"inputTokens\":1,\"outputTokens\":2,\"totalTokens\":3}}")));
        Events.Reader reader = Events.reader(new EventStreamParser(), new TrickleStream(bytes, 3));

        assertThat(reader.next().event()).isEqualTo("messageStop");
        assertThat(reader.next().data()).isEqualTo("{\"usage\":{\"inputTokens\":1,\"outputTokens\":2,\"totalTokens\":3}}");
        assertThat(reader.next()).isNull();
    }

    @Test
    void otherHeaderTypesAreSkippedByTheirSize() throws IOException {
        // A timestamp header (type 8, 8 bytes) before the string headers, as the SDKs may send.
        byte[] plain = event("messageStop", "{\"stopReason\":\"end_turn\"}");
        int headersLength = java.nio.ByteBuffer.wrap(plain, 4, 4).getInt();
        byte[] timestamp = {5, ':', 'd', 'a', 't', 'e', 8, 0, 0, 1, 2, 3, 4, 5, 6};
        byte[] headers = new byte[timestamp.length + headersLength];
        System.arraycopy(timestamp, 0, headers, 0, timestamp.length);
        System.arraycopy(plain, 12, headers, timestamp.length, headersLength);
        byte[] payload = Arrays.copyOfRange(plain, 12 + headersLength, plain.length - 4);
        byte[] rebuilt = rawFrame(headers, payload);

        SseEvent event = Events.reader(new EventStreamParser(), new ByteArrayInputStream(rebuilt)).next();

        assertThat(event).isEqualTo(new SseEvent("messageStop", "{\"stopReason\":\"end_turn\"}"));
    }

    @Test
    void exceptionAndErrorMessagesBecomeExceptionEvents() throws IOException {
        Map<String, String> error = new LinkedHashMap<>();
        error.put(":message-type", "error");
        error.put(":error-code", "InternalError");
        error.put(":error-message", "An internal server error occurred.");
        byte[] bytes = concat(List.of(exception("throttlingException", "Too many requests, please wait before trying again."),
                frame(error, new byte[0])));
        Events.Reader reader = Events.reader(new EventStreamParser(), new ByteArrayInputStream(bytes));

        assertThat(reader.next()).isEqualTo(new SseEvent("exception:throttlingException",
                "{\"message\":\"Too many requests, please wait before trying again.\"}"));
        assertThat(reader.next()).isEqualTo(new SseEvent("exception:InternalError",
                "{\"message\":\"An internal server error occurred.\"}"));
    }

    @Test
    void aCorruptPayloadFailsTheMessageChecksum() {
        byte[] bytes = event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hello\"}}");
        bytes[bytes.length - 10] ^= 0x20;

        assertThatThrownBy(() -> Events.reader(new EventStreamParser(), new ByteArrayInputStream(bytes)).next())
                .isInstanceOf(IOException.class).hasMessageContaining("message checksum");
    }

    @Test
    void aCorruptLengthFailsThePreludeChecksum() {
        byte[] bytes = event("messageStop", "{\"stopReason\":\"end_turn\"}");
        bytes[3] += 1;

        assertThatThrownBy(() -> Events.reader(new EventStreamParser(), new ByteArrayInputStream(bytes)).next())
                .isInstanceOf(IOException.class).hasMessageContaining("prelude checksum");
    }

    @Test
    void aStreamCutInsideAMessageIsAnError() {
        byte[] bytes = event("messageStop", "{\"stopReason\":\"end_turn\"}");
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 5);

        assertThatThrownBy(() -> Events.reader(new EventStreamParser(), new ByteArrayInputStream(cut)).next())
                .isInstanceOf(IOException.class).hasMessageContaining("ended inside a message");
    }

    @Test
    void textThatIsNotAnEventStreamIsRejected() {
        byte[] html = "<html><body>502 Bad Gateway</body></html>".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> Events.reader(new EventStreamParser(), new ByteArrayInputStream(html)).next())
                .isInstanceOf(IOException.class);
    }

    /** Hands out at most {@code step} bytes per read, like a slow network. */
    private static final class TrickleStream extends InputStream {
        private final byte[] data;
        private final int step;
        private int pos;

        TrickleStream(byte[] data, int step) {
            this.data = data;
            this.step = step;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(step, len), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
