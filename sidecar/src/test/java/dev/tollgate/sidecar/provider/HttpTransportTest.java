package dev.tollgate.sidecar.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.sidecar.testing.Exchanges;
import dev.tollgate.sidecar.testing.FakeUpstream;
import dev.tollgate.sidecar.testing.FakeUpstream.Reply;
import dev.tollgate.sidecar.testing.IoThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transport against providers on 127.0.0.1, some of them plain sockets the test drives byte by
 * byte: kept-alive connections, a connection the provider closed, pausing a provider that sends as fast
 * as it can, resuming it, cancelling a provider that sends nothing, the connect timeout.
 */
class HttpTransportTest {
    private static final byte[] BODY = "{\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);

    /** One IO thread: each keeps its own idle connections, and the test's calls all land on this one. */
    private final IoThreads io = new IoThreads(1);
    private final HttpTransport http = new HttpTransport(io.worker(), io.buffers(), Duration.ofSeconds(2), 8);
    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        http.close();
        io.close();
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void aConnectionIsKeptAliveForTheNextRequestToTheSameOrigin() throws Exception {
        FakeUpstream upstream = FakeUpstream.start();
        closing.add(upstream);
        upstream.always(Reply.json(200, "{\"ok\":true}"));
        URI uri = URI.create(upstream.root() + "/v1/chat/completions");

        for (int i = 0; i < 3; i++) {
            assertThat(Exchanges.call(http, new UpstreamRequest(uri, Map.of("Authorization", "Bearer k"), BODY)).body())
                    .isEqualTo("{\"ok\":true}");
        }
        assertThat(upstream.received()).extracting(FakeUpstream.Received::clientPort).containsOnly(
                upstream.received().get(0).clientPort());
        assertThat(upstream.last().header("Authorization")).isEqualTo("Bearer k");
        assertThat(upstream.last().body()).isEqualTo("{\"model\":\"m\"}");
    }

    @Test
    void aSlowHostLookupHoldsNoIoThread() throws Exception {
        FakeUpstream upstream = FakeUpstream.start();
        closing.add(upstream);
        upstream.always(Reply.json(200, "{\"ok\":true}"));
        int port = URI.create(upstream.root()).getPort();
        CountDownLatch answerLookup = new CountDownLatch(1);
        CompletableFuture<String> lookedUpOn = new CompletableFuture<>();
        HttpTransport.Resolver slowDns = host -> {
            lookedUpOn.complete(Thread.currentThread().getName());
            try {
                answerLookup.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            HttpTransport.Resolver.JDK.resolve(host);
        };
        try (HttpTransport slow = new HttpTransport(io.worker(), io.buffers(), Duration.ofSeconds(10), 8,
                SSLContext.getDefault(), HttpTransport.IDLE_MS, slowDns)) {
            CompletableFuture<Exchanges.Answer> byName = CompletableFuture.supplyAsync(() -> {
                try {
                    return Exchanges.call(slow, new UpstreamRequest(URI.create("http://localhost:" + port + "/"), Map.of(), BODY));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(lookedUpOn.get(10, TimeUnit.SECONDS)).isEqualTo("tollgate-dns");

            // The one IO thread serves another provider while the lookup hangs.
            URI byAddress = URI.create(upstream.root() + "/v1/chat/completions");
            assertThat(Exchanges.call(slow, new UpstreamRequest(byAddress, Map.of(), BODY)).body()).isEqualTo("{\"ok\":true}");
            assertThat(byName).isNotDone();

            answerLookup.countDown();
            assertThat(byName.get(10, TimeUnit.SECONDS).body()).isEqualTo("{\"ok\":true}");
        }
    }

    @Test
    void aConnectionTheProviderClosedIsNeverHandedOut() throws Exception {
        ServerSocket provider = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closing.add(provider);
        AtomicInteger connections = new AtomicInteger();
        background(() -> {
            for (int i = 0; i < 2; i++) {
                try (Socket socket = provider.accept()) {
                    connections.incrementAndGet();
                    readRequest(socket.getInputStream());
                    // Kept alive by HTTP/1.1's default, then closed by the provider right after the answer.
                    socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                } catch (IOException e) {
                    return;
                }
            }
        });
        URI uri = URI.create("http://127.0.0.1:" + provider.getLocalPort() + "/v1/chat/completions");

        assertThat(Exchanges.call(http, new UpstreamRequest(uri, Map.of(), BODY)).body()).isEqualTo("{}");
        Thread.sleep(500); // the provider's close reaches the idle connection
        assertThat(Exchanges.call(http, new UpstreamRequest(uri, Map.of(), BODY)).body()).isEqualTo("{}");
        assertThat(connections).hasValue(2);
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTime() throws Exception {
        ServerSocket provider = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closing.add(provider);
        CompletableFuture<Integer> afterAnswer = new CompletableFuture<>();
        background(() -> {
            try (Socket socket = provider.accept()) {
                readRequest(socket.getInputStream());
                socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                socket.setSoTimeout(10_000);
                afterAnswer.complete(socket.getInputStream().read()); // kept alive until the sidecar closes it
            } catch (IOException e) {
                afterAnswer.complete(-1);
            }
        });
        try (HttpTransport briefly = new HttpTransport(io.worker(), io.buffers(), Duration.ofSeconds(2), 8,
                SSLContext.getDefault(), 300)) {
            URI uri = URI.create("http://127.0.0.1:" + provider.getLocalPort() + "/");
            assertThat(Exchanges.call(briefly, new UpstreamRequest(uri, Map.of(), BODY)).body()).isEqualTo("{}");

            assertThat(afterAnswer.get(5, TimeUnit.SECONDS)).as("the idle connection is closed").isEqualTo(-1);
        }
    }

    @Test
    void aPausedAnswerStopsTheProviderAndResumingReadsTheRestAtOnce() throws Exception {
        long total = 64L * 1024 * 1024;
        ServerSocket provider = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closing.add(provider);
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> paused = new CompletableFuture<>();
        background(() -> {
            try (Socket socket = provider.accept()) {
                readRequest(socket.getInputStream());
                paused.get(10, TimeUnit.SECONDS);
                OutputStream out = socket.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: " + total
                        + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                byte[] block = new byte[64 * 1024];
                for (long sent = 0; sent < total; sent += block.length) {
                    out.write(block); // as fast as the connection takes it: no pacing
                    written.addAndGet(block.length);
                }
                out.flush();
            } catch (Exception e) {
                // the test failed and closed
            }
        });
        AtomicLong received = new AtomicLong();
        CompletableFuture<Long> ended = new CompletableFuture<>();
        UpstreamCall call = http.send(new UpstreamRequest(URI.create("http://127.0.0.1:" + provider.getLocalPort() + "/"),
                Map.of(), BODY), new UpstreamHandler() {
                    @Override
                    public void onHead(UpstreamHead head) {
                    }

                    @Override
                    public void onData(ByteBuffer data) {
                        received.addAndGet(data.remaining());
                        data.position(data.limit());
                    }

                    @Override
                    public void onEnd() {
                        ended.complete(received.get());
                    }

                    @Override
                    public void onFailure(IOException cause) {
                        ended.completeExceptionally(cause);
                    }
                });
        call.pause();
        paused.complete(null); // the provider answers only now

        // The provider's writes stall: what it got out is what the sockets between hold, not the answer.
        long before = 0;
        int still = 0;
        for (int i = 0; i < 100 && still < 3; i++) {
            Thread.sleep(200);
            long now = written.get();
            still = now > 0 && now == before ? still + 1 : 0;
            before = now;
        }
        assertThat(still).as("the provider's writes stalled").isEqualTo(3);
        assertThat(written.get()).as("bytes the provider got out while paused (read: %d, ended: %s)", received.get(),
                ended.isDone()).isLessThan(total / 4);
        assertThat(received.get()).as("bytes read while paused").isLessThan(total / 4);

        call.resume();
        assertThat(ended.get(60, TimeUnit.SECONDS)).as("every byte of the answer, read on").isEqualTo(total);
    }

    @Test
    void cancellingAProviderThatSendsNothingClosesItsConnection() throws Exception {
        ServerSocket provider = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        closing.add(provider);
        CompletableFuture<Integer> afterCancel = new CompletableFuture<>();
        CompletableFuture<Void> requested = new CompletableFuture<>();
        background(() -> {
            try (Socket socket = provider.accept()) {
                InputStream in = socket.getInputStream();
                readRequest(in);
                requested.complete(null);
                socket.setSoTimeout(10_000);
                afterCancel.complete(in.read()); // silent: waits for the sidecar to send or close
            } catch (IOException e) {
                afterCancel.complete(-1);
            }
        });
        AtomicInteger calls = new AtomicInteger();
        UpstreamCall call = http.send(new UpstreamRequest(URI.create("http://127.0.0.1:" + provider.getLocalPort() + "/"),
                Map.of(), BODY), countingHandler(calls));
        requested.get(10, TimeUnit.SECONDS);

        call.cancel();

        assertThat(afterCancel.get(5, TimeUnit.SECONDS)).as("the provider sees its connection closed").isEqualTo(-1);
        assertThat(calls).as("nothing reaches the handler after cancel").hasValue(0);
    }

    @Test
    void aProviderThatDoesNotAcceptWithinTheConnectTimeoutFailsTheCall() throws Exception {
        // A listener that never accepts, its backlog filled: the next connection's handshake is not answered.
        ServerSocket provider = new ServerSocket();
        provider.bind(new InetSocketAddress("127.0.0.1", 0), 1);
        closing.add(provider);
        for (int i = 0; i < 8; i++) {
            Socket filler = new Socket();
            try {
                filler.connect(provider.getLocalSocketAddress(), 200);
                closing.add(filler);
            } catch (IOException full) {
                filler.close();
                break;
            }
        }
        URI uri = URI.create("http://127.0.0.1:" + provider.getLocalPort() + "/");

        assertThatThrownBy(() -> Exchanges.call(http, new UpstreamRequest(uri, Map.of(), BODY)))
                .isInstanceOf(IOException.class).hasMessageContaining("within 2000 ms");
    }

    private static UpstreamHandler countingHandler(AtomicInteger calls) {
        return new UpstreamHandler() {
            @Override
            public void onHead(UpstreamHead head) {
                calls.incrementAndGet();
            }

            @Override
            public void onData(ByteBuffer data) {
                calls.incrementAndGet();
            }

            @Override
            public void onEnd() {
                calls.incrementAndGet();
            }

            @Override
            public void onFailure(IOException cause) {
                calls.incrementAndGet();
            }
        };
    }

    /** Reads one request with a Content-Length body: its head, then the body. */
    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("closed before the request's head ended");
            }
            head.append((char) b);
        }
        String lower = head.toString().toLowerCase(Locale.ROOT);
        int at = lower.indexOf("content-length:");
        int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
        in.readNBytes(length);
    }

    private static void background(Runnable provider) {
        Thread thread = new Thread(provider, "test-provider");
        thread.setDaemon(true);
        thread.start();
    }
}
