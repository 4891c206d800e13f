package dev.tollgate.sidecar.provider;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** A provider's body collected as its bytes arrive, never more than a limit; what goes past it is dropped. */
public final class BoundedBody {
    private final int max;
    private byte[] bytes;
    private int size;
    private boolean overflowed;

    /** @param expectedLength the Content-Length when known (one right-sized array), else -1 */
    public BoundedBody(int max, long expectedLength) {
        this.max = max;
        this.bytes = new byte[(int) Math.max(0, Math.min(max, expectedLength >= 0 ? expectedLength : 8192))];
    }

    /** Keeps the bytes while under the limit; false once the body went past it. */
    public boolean add(ByteBuffer data) {
        int n = data.remaining();
        if (overflowed || n > max - size) {
            overflowed = true;
            data.position(data.limit());
            return false;
        }
        if (size + n > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(max, Math.max(size + n, 2L * bytes.length)));
        }
        data.get(bytes, size, n);
        size += n;
        return true;
    }

    public boolean overflowed() {
        return overflowed;
    }

    public byte[] bytes() {
        return size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
    }
}
