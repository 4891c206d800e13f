package dev.tollgate.sidecar.testing;

import dev.tollgate.sidecar.provider.UpstreamHandler;
import dev.tollgate.sidecar.provider.UpstreamHead;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.provider.UpstreamTransport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** One exchange through a transport, collected whole on the test's thread. */
public final class Exchanges {
    private Exchanges() {
    }

    public record Answer(int status, String body) {
    }

    /** The complete answer, or the transport's failure rethrown. */
    public static Answer call(UpstreamTransport transport, UpstreamRequest request) throws IOException {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        transport.send(request, new UpstreamHandler() {
            private int status;
            private final ByteArrayOutputStream body = new ByteArrayOutputStream();

            @Override
            public void onHead(UpstreamHead head) {
                status = head.status();
            }

            @Override
            public void onData(ByteBuffer data) {
                byte[] bytes = new byte[data.remaining()];
                data.get(bytes);
                body.writeBytes(bytes);
            }

            @Override
            public void onEnd() {
                answer.complete(new Answer(status, body.toString(StandardCharsets.UTF_8)));
            }

            @Override
            public void onFailure(IOException cause) {
                answer.completeExceptionally(cause);
            }
        });
        try {
            return answer.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IOException(e);
        }
    }
}
