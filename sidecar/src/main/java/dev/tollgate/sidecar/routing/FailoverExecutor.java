package dev.tollgate.sidecar.routing;

import dev.tollgate.sidecar.GatewayState;
import dev.tollgate.sidecar.config.RouteConfig;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.api.ClientRequest;
import dev.tollgate.sidecar.provider.EventReader;
import dev.tollgate.sidecar.provider.FailureClass;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.Provider;
import dev.tollgate.sidecar.provider.SseEvent;
import dev.tollgate.sidecar.provider.StreamTranslator;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamExchange;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import dev.tollgate.sidecar.provider.UpstreamRefusal;
import dev.tollgate.sidecar.provider.UpstreamRequest;
import dev.tollgate.sidecar.provider.UpstreamTransport;
import dev.tollgate.sidecar.provider.UpstreamResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends a request to a route's backends until one answers: fails over across backends and priority
 * tiers, then retries the last backend with backoff (honouring Retry-After) until it had
 * {@code retry.attempts} tries (see {@link AttemptPlan}), enforces the first-token and request
 * timeouts, and feeds the circuit breakers. Only failures before anything reached the client are retried.
 * A backend whose provider family cannot serve the client's API is skipped without counting as an attempt.
 */
public final class FailoverExecutor {
    /** The result an attempt that answered or started a stream is reported with. */
    public static final String SUCCESS = "success";
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int MAX_ANSWER_BODY = 64 * 1024 * 1024;

    private final CircuitBreakers breakers;

    public FailoverExecutor(CircuitBreakers breakers) {
        this.breakers = breakers;
    }

    public <R extends ClientRequest> Outcome execute(R request, ApiSelector<R> api, RouteConfig route, GatewayState state,
                                                     Deadline deadline, AttemptListener listener) {
        AttemptPlan plan = new AttemptPlan(route, request.model(), breakers, ThreadLocalRandom.current());
        UpstreamFailure lastFailure = null;
        Attempt last = null;
        int attempts = 0;
        long upstreamNanos = 0;
        boolean anyServes = false;
        Long longestRetryAfter = null;
        while (!deadline.passed()) {
            AttemptPlan.Choice choice = plan.next(System.currentTimeMillis());
            if (choice == null) {
                break;
            }
            Provider provider = state.providers().get(choice.backend().provider());
            String upstreamModel = choice.backend().upstreamModel(request.model());
            Optional<ApiAdapter<R>> served = api.select(provider.adapter(), upstreamModel);
            if (served.isEmpty()) {
                breakers.get(provider.id(), upstreamModel).release();
                plan.moveOn(); // never retried
                continue;
            }
            anyServes = true;
            if (choice.retrySame()) {
                long wait = backoffMillis(route, choice.tryOfBackend() - 1, lastFailure);
                if (wait >= deadline.remainingMillis()) {
                    breakers.get(provider.id(), upstreamModel).release();
                    break;
                }
                sleep(wait);
            } else if (last != null) {
                listener.failedOver(last);
            }
            attempts++;
            Attempt attempt = new Attempt(choice.backend(), provider, upstreamModel);
            CircuitBreaker breaker = breakers.get(provider.id(), upstreamModel);
            long t0 = System.nanoTime();
            AttemptResult result;
            try {
                result = callOnce(attempt, served.get(), request, route, deadline, listener);
            } catch (RuntimeException unsendable) {
                // The adapter could not build the request (the client's input); nothing was sent.
                breaker.release();
                throw unsendable;
            }
            upstreamNanos += System.nanoTime() - t0;
            if (result instanceof Failed failed) {
                UpstreamFailure failure = failed.failure();
                listener.attempted(attempt, failure.kind().wireName());
                last = attempt;
                lastFailure = failure;
                if (failure.retryAfterMs() != null) {
                    longestRetryAfter = Math.max(failure.retryAfterMs(), longestRetryAfter == null ? 0 : longestRetryAfter);
                }
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
            listener.attempted(attempt, SUCCESS);
            if (result instanceof Answer answer) {
                return new Outcome.Answered(attempt, answer.answer(), attempts, upstreamNanos);
            }
            Started started = (Started) result;
            return new Outcome.StreamStarted(attempt, started.exchange, started.response, started.reader,
                    started.translator, started.firstBytes, attempts, upstreamNanos);
        }
        if (lastFailure == null && !anyServes && plan.triedAny()) {
            lastFailure = new UpstreamFailure(FailureClass.CLIENT_ERROR, 400, null,
                    "no backend of route '" + route.name() + "' serves this API");
        } else if (lastFailure == null) {
            lastFailure = new UpstreamFailure(FailureClass.SERVER_ERROR, 0, null,
                    "no backend of route '" + route.name() + "' is available (circuits open)");
        } else if (deadline.passed()) {
            lastFailure = new UpstreamFailure(FailureClass.TIMEOUT, lastFailure.status(), null,
                    "request timeout reached; last failure: " + lastFailure.message());
        } else if (lastFailure.kind() == FailureClass.RATE_LIMITED) {
            // The client is told to wait as long as the most patient backend asked.
            lastFailure = new UpstreamFailure(FailureClass.RATE_LIMITED, lastFailure.status(), longestRetryAfter,
                    lastFailure.message());
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

    /** One attempt: an {@link Answer}, a {@link Started} stream, or {@link Failed}. */
    private <R extends ClientRequest> AttemptResult callOnce(Attempt attempt, ApiAdapter<R> api, R request, RouteConfig route,
                                                             Deadline deadline, AttemptListener listener) {
        Provider provider = attempt.provider();
        // A complete (non-streamed) answer's headers come only once the whole answer is generated, so
        // only a stream waits for its first token; an answer has the rest of the request's time.
        long firstTokenMs = request.stream() ? Math.min(route.timeouts().firstTokenMs(), deadline.remainingMillis())
                : deadline.remainingMillis();
        UpstreamExchange exchange = api.open(withHeaders(provider.transport(), listener.starting(attempt)), request,
                attempt.upstreamModel(), provider.config());
        // One alarm until the first token: the headers, and for a stream its first event too.
        Watchdog.Alarm firstToken = Watchdog.arm(Math.max(1, firstTokenMs), exchange::abort);
        UpstreamResponse response;
        try {
            response = exchange.send();
        } catch (IOException e) {
            firstToken.cancel();
            return firstToken.fired()
                    ? failed(FailureClass.TIMEOUT, 0, "no answer within " + firstTokenMs + " ms")
                    : connectFailure(e);
        }
        if (response.status() / 100 != 2) {
            firstToken.cancel();
            byte[] body = readBounded(response, exchange, MAX_ERROR_BODY, deadline);
            return new Failed(provider.adapter().failure(response.status(), response.header("retry-after"), body, provider.config()));
        }
        if (!request.stream()) {
            firstToken.cancel();
            return readAnswer(api, request, response, exchange, deadline);
        }
        return readFirstEvent(provider, api.stream(request), response, exchange, firstToken, firstTokenMs);
    }

    private static <R extends ClientRequest> AttemptResult readAnswer(ApiAdapter<R> api, R request, UpstreamResponse response,
                                                                      UpstreamExchange exchange, Deadline deadline) {
        Watchdog.Alarm alarm = Watchdog.arm(Math.max(1, deadline.remainingMillis()), exchange::abort);
        try {
            byte[] body = readAnswerBody(response);
            return new Answer(api.answer(body, request));
        } catch (IOException e) {
            return alarm.fired()
                    ? failed(FailureClass.TIMEOUT, 0, "answer not complete before the request timeout")
                    : failed(FailureClass.SERVER_ERROR, 0, "connection lost while reading the answer");
        } catch (InvalidUpstreamResponse e) {
            return failed(FailureClass.SERVER_ERROR, response.status(), e.getMessage());
        } catch (UpstreamRefusal e) {
            return failed(FailureClass.CLIENT_ERROR, 400, e.getMessage());
        } finally {
            alarm.cancel();
            response.close();
        }
    }

    private static AttemptResult readFirstEvent(Provider provider, StreamTranslator translator, UpstreamResponse response,
                                                UpstreamExchange exchange, Watchdog.Alarm firstToken, long firstTokenMs) {
        EventReader reader = provider.adapter().events(response.body());
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        try {
            SseEvent event = reader.next();
            firstToken.cancel();
            if (event == null) {
                response.close();
                return failed(FailureClass.SERVER_ERROR, response.status(), "the stream ended before any data");
            }
            translator.onEvent(event, first::writeBytes);
            return new Started(exchange, response, reader, translator, first.toByteArray());
        } catch (IOException e) {
            response.close();
            return firstToken.fired()
                    ? failed(FailureClass.TIMEOUT, 0, "no first token within " + firstTokenMs + " ms")
                    : failed(FailureClass.SERVER_ERROR, 0, "the stream broke before any data");
        } catch (InvalidUpstreamResponse e) {
            response.close();
            return failed(FailureClass.SERVER_ERROR, response.status(), e.getMessage());
        } catch (UpstreamRefusal e) {
            response.close();
            return failed(FailureClass.CLIENT_ERROR, 400, e.getMessage());
        } finally {
            firstToken.cancel();
        }
    }

    /** No response at all: refused, timed out connecting, reset, TLS failure. */
    private static Failed connectFailure(IOException cause) {
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return failed(FailureClass.CONNECT_ERROR, 0, "connection failed: " + reason);
    }

    /** An error body, read within the request deadline; the connection is released or dropped after. */
    private static byte[] readBounded(UpstreamResponse response, UpstreamExchange exchange, int max, Deadline deadline) {
        Watchdog.Alarm alarm = Watchdog.arm(Math.max(1, deadline.remainingMillis()), exchange::abort);
        try {
            return readBounded(response.body(), max);
        } catch (IOException e) {
            return new byte[0];
        } finally {
            alarm.cancel();
            response.close();
        }
    }

    /**
     * Reads exactly Content-Length bytes when the provider sent it (one right-sized array), else up
     * to the limit; either way up to the end of the body, so the connection goes back to the pool.
     */
    private static byte[] readAnswerBody(UpstreamResponse response) throws IOException {
        long length = response.header("content-length").map(Long::parseLong).orElse(-1L);
        if (length < 0 || length > MAX_ANSWER_BODY) {
            return readBounded(response.body(), MAX_ANSWER_BODY);
        }
        byte[] body = response.body().readNBytes((int) length);
        if (body.length != length || response.body().read() != -1) {
            throw new IOException("answer does not match its Content-Length");
        }
        return body;
    }

    private static byte[] readBounded(InputStream in, int max) throws IOException {
        byte[] bytes = in.readNBytes(max + 1);
        if (bytes.length > max) {
            throw new IOException("answer larger than " + max + " bytes");
        }
        return bytes;
    }

    private static Failed failed(FailureClass kind, int status, String message) {
        return new Failed(new UpstreamFailure(kind, status, null, message));
    }

    private sealed interface AttemptResult {
    }

    private record Answer(TranslatedAnswer answer) implements AttemptResult {
    }

    private record Started(UpstreamExchange exchange, UpstreamResponse response, EventReader reader,
                           StreamTranslator translator, byte[] firstBytes) implements AttemptResult {
    }

    private record Failed(UpstreamFailure failure) implements AttemptResult {
    }

    /**
     * The transport, adding {@code extra} headers to every request the adapter sends through it (the
     * adapter's own win: they carry credentials and protocol).
     */
    private static UpstreamTransport withHeaders(UpstreamTransport transport, Map<String, String> extra) {
        if (extra.isEmpty()) {
            return transport;
        }
        return request -> {
            Map<String, String> headers = new LinkedHashMap<>(extra);
            headers.putAll(request.headers());
            return transport.open(new UpstreamRequest(request.uri(), headers, request.body()));
        };
    }
}
