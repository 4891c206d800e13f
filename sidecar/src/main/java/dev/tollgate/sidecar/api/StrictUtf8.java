package dev.tollgate.sidecar.api;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Whether bytes are well-formed UTF-8 (RFC 3629): no overlong forms, nothing above U+10FFFF, no
 * encoded surrogates, no stray continuation bytes. Jackson's own decoding lets some of these
 * through, so a request body is checked here before it is parsed.
 */
final class StrictUtf8 {
    private static final int CHUNK = 4096;

    private StrictUtf8() {
    }

    /** The offset of the first byte that is not well-formed UTF-8, or -1 when all are. */
    static int firstInvalidByte(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        // The decoded text is thrown away chunk by chunk: checking never copies the body.
        CharBuffer out = CharBuffer.allocate(CHUNK);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                return decoder.flush(out).isError() ? in.position() : -1;
            }
            out.clear();
        }
    }
}
