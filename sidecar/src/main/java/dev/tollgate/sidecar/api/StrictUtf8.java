package dev.tollgate.sidecar.api;

/**
 * Whether bytes are well-formed UTF-8 (RFC 3629, the Unicode standard's table 3-7): no overlong
 * forms, nothing above U+10FFFF, no encoded surrogates, no stray continuation bytes. Jackson's own
 * decoding lets some of these through, so a request body is checked here before it is parsed. Read
 * in place, allocating nothing: every request body passes through here.
 */
final class StrictUtf8 {
    private StrictUtf8() {
    }

    /** The offset of the first byte of the first sequence that is not well-formed UTF-8, or -1 when all are. */
    static int firstInvalidByte(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i];
            if (b >= 0) {
                i++;
                continue;
            }
            int lead = b & 0xFF;
            int length;
            // The second byte's range depends on the lead; the others are always 80..BF.
            int low = 0x80;
            int high = 0xBF;
            if (lead >= 0xC2 && lead <= 0xDF) {
                length = 2;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                length = 3;
                if (lead == 0xE0) {
                    low = 0xA0; // below: overlong
                } else if (lead == 0xED) {
                    high = 0x9F; // above: surrogates
                }
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                length = 4;
                if (lead == 0xF0) {
                    low = 0x90; // below: overlong
                } else if (lead == 0xF4) {
                    high = 0x8F; // above: past U+10FFFF
                }
            } else {
                return i; // a continuation byte, C0, C1 or F5..FF
            }
            if (i + length > n) {
                return i;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < low || second > high) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                if ((bytes[i + k] & 0xC0) != 0x80) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }
}
