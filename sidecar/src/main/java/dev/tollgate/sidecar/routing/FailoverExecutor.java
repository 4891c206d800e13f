package dev.tollgate.sidecar.routing;

import dev.tollgate.sidecar.GatewayState;
import dev.tollgate.sidecar.config.RouteConfig;
import dev.tollgate.sidecar.provider.ChatAnswer;
import dev.tollgate.sidecar.provider.ChatRequest;
import dev.tollgate.sidecar.provider.FailureClass;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.Provider;
import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.SseReader;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import dev.tollgate.sidecar.provider.UpstreamResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a request to a route's backends until one answers: retries with backoff (honouring
 * Retry-After), fails over across backends and priority tiers, enforces the first-token and request
 * timeouts, and feeds the circuit breakers. Only failures before anything reached the client are retried.
 */
public final class FailoverExecutor {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int MAX_ANSWER_BODY = 64 * 1024 * 1024;

    private final CircuitBreakers breakers;

    public FailoverExecutor(CircuitBreakers breakers) {
        this.breakers = breakers;
    }

    public Outcome execute(ChatRequest request, RouteConfig route, GatewayState state, Deadline deadline,
                           AttemptListener listener) {
        AttemptPlan plan = new AttemptPlan(route, request.model(), breakers, ThreadLocalRandom.current());
        UpstreamFailure lastFailure = null;
        Attempt last = null;
        int attempts = 0;
        int retriesOfSame = 0;
        long upstreamNanos = 0;
        while (attempts < route.retry().attempts() && !deadline.passed()) {
            AttemptPlan.Choice choice = plan.next(System.currentTimeMillis());
            if (choice == null) {
                break;
            }
            if (last != null) {
                if (choice.retrySame()) {
                    long wait = backoffMillis(route, ++retriesOfSame, lastFailure);
                    if (wait >= deadline.remainingMillis()) {
                        break;
                    }
                    sleep(wait);
                } else {
                    listener.failedOver(last);
                }
            }
            attempts++;
            Provider provider = state.providers().get(choice.backend().provider());
            Attempt attempt = new Attempt(choice.backend(), provider, choice.backend().upstreamModel(request.model()));
            CircuitBreaker breaker = breakers.get(provider.id(), attempt.upstreamModel());
            long t0 = System.nanoTime();
            Object result = callOnce(attempt, request, route, deadline);
            upstreamNanos += System.nanoTime() - t0;
            if (result instanceof UpstreamFailure failure) {
                listener.attempted(attempt, failure.kind().wireName());
                last = attempt;
                lastFailure = failure;
                if (failure.kind() == FailureClass.CLIENT_ERROR) {
                    breaker.onSuccess(); // the provider is healthy; the request was wrong
                    return new Outcome.Failed(attempt, failure, attempts);
                }
                breaker.onFailure(route.circuitBreaker(), System.currentTimeMillis());
                if (!route.retry().on().contains(failure.kind().wireName())) {
                    return new Outcome.Failed(attempt, failure, attempts);
                }
                continue;
            }
            breaker.onSuccess();
            listener.attempted(attempt, "success");
            if (result instanceof ChatAnswer answer) {
                return new Outcome.Answered(attempt, answer, attempts, upstreamNanos);
            }
            Started started = (Started) result;
            return new Outcome.StreamStarted(attempt, started.response, started.reader, started.translator,
                    started.firstBytes, attempts, upstreamNanos);
        }
        if (lastFailure == null) {
            lastFailure = new UpstreamFailure(FailureClass.SERVER_ERROR, 0, null,
                    "no backend of route '" + route.name() + "' is available (circuits open)");
        } else if (deadline.passed()) {
            lastFailure = new UpstreamFailure(FailureClass.TIMEOUT, lastFailure.status(), null,
                    "request timeout reached; last failure: " + lastFailure.message());
        }
        return new Outcome.Failed(last, lastFailure, attempts);
    }

    /** Exponential from the route's base, never shorter than the provider's Retry-After. */
    private static long backoffMillis(RouteConfig route, int retry, UpstreamFailure failure) {
        long exponential = route.retry().backoffMs() << Math.min(retry - 1, 10);
        Long retryAfter = failure == null ? null : failure.retryAfterMs();
        return retryAfter == null ? exponential : Math.max(exponential, retryAfter);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One attempt: a {@link ChatAnswer}, a {@link Started} stream, or an {@link UpstreamFailure}. */
    private Object callOnce(Attempt attempt, ChatRequest request, RouteConfig route, Deadline deadline) {
        Provider provider = attempt.provider();
        long firstTokenMs = Math.min(route.timeouts().firstTokenMs(), deadline.remainingMillis());
        long sentAt = System.nanoTime();
        CompletableFuture<UpstreamResponse> pending =
                provider.transport().send(provider.adapter().chatRequest(request, attempt.upstreamModel(), provider.config()));
        UpstreamResponse response;
        try {
            response = pending.get(firstTokenMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            return new UpstreamFailure(FailureClass.TIMEOUT, 0, null, "no answer within " + firstTokenMs + " ms");
        } catch (ExecutionException e) {
            return connectFailure(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.cancel(true);
            return new UpstreamFailure(FailureClass.TIMEOUT, 0, null, "interrupted");
        }
        if (response.status() / 100 != 2) {
            byte[] body = readBounded(response, MAX_ERROR_BODY, deadline.remainingMillis());
            response.close();
            return provider.adapter().failure(response.status(), response.header("retry-after"), body, provider.config());
        }
        if (!request.stream()) {
            return readAnswer(attempt, response, deadline);
        }
        long leftForFirstToken = firstTokenMs - (System.nanoTime() - sentAt) / 1_000_000;
        return readFirstEvent(attempt, request, response, Math.max(1, leftForFirstToken));
    }

    private static Object readAnswer(Attempt attempt, UpstreamResponse response, Deadline deadline) {
        Watchdog.Alarm alarm = Watchdog.arm(Math.max(1, deadline.remainingMillis()), response::close);
        try {
            byte[] body = readBounded(response.body(), MAX_ANSWER_BODY);
            return attempt.provider().adapter().chatAnswer(body);
        } catch (IOException e) {
            return alarm.fired()
                    ? new UpstreamFailure(FailureClass.TIMEOUT, 0, null, "answer not complete before the request timeout")
                    : new UpstreamFailure(FailureClass.SERVER_ERROR, 0, null, "connection lost while reading the answer");
        } catch (InvalidUpstreamResponse e) {
            return new UpstreamFailure(FailureClass.SERVER_ERROR, response.status(), null, e.getMessage());
        } finally {
            alarm.cancel();
            response.close();
        }
    }

    private static Object readFirstEvent(Attempt attempt, ChatRequest request, UpstreamResponse response, long millis) {
        Watchdog.Alarm alarm = Watchdog.arm(millis, response::close);
        SseReader reader = new SseReader(response.body());
        StreamTranslator translator = attempt.provider().adapter().streamTranslator(request);
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        try {
            SseEvent event = reader.next();
            alarm.cancel();
            if (event == null) {
                response.close();
                return new UpstreamFailure(FailureClass.SERVER_ERROR, response.status(), null, "the stream ended before any data");
            }
            translator.onEvent(event, first::writeBytes);
            return new Started(response, reader, translator, first.toByteArray());
        } catch (IOException e) {
            response.close();
            return alarm.fired()
                    ? new UpstreamFailure(FailureClass.TIMEOUT, 0, null, "no first token within " + millis + " ms")
                    : new UpstreamFailure(FailureClass.SERVER_ERROR, 0, null, "the stream broke before any data");
        } catch (InvalidUpstreamResponse e) {
            response.close();
            return new UpstreamFailure(FailureClass.SERVER_ERROR, response.status(), null, e.getMessage());
        } finally {
            alarm.cancel();
        }
    }

    private static UpstreamFailure connectFailure(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return new UpstreamFailure(FailureClass.CONNECT_ERROR, 0, null, "connection timed out");
        }
        if (cause instanceof ConnectException) {
            return new UpstreamFailure(FailureClass.CONNECT_ERROR, 0, null, "connection refused");
        }
        return new UpstreamFailure(FailureClass.CONNECT_ERROR, 0, null,
                "connection failed" + (cause instanceof IOException ? "" : " (" + cause.getClass().getSimpleName() + ")"));
    }

    private static byte[] readBounded(UpstreamResponse response, int max, long millis) {
        Watchdog.Alarm alarm = Watchdog.arm(Math.max(1, millis), response::close);
        try {
            return readBounded(response.body(), max);
        } catch (IOException e) {
            return new byte[0];
        } finally {
            alarm.cancel();
        }
    }

    private static byte[] readBounded(InputStream in, int max) throws IOException {
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
            throw new IOException("answer larger than " + max + " bytes");
        }
        return bytes;
    }

    private record Started(UpstreamResponse response, SseReader reader, StreamTranslator translator, byte[] firstBytes) {
    }
}
