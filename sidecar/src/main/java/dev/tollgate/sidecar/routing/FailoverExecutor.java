package dev.tollgate.sidecar.routing;

import dev.tollgate.sidecar.api.ClientRequest;
import dev.tollgate.sidecar.config.RouteConfig;
import dev.tollgate.sidecar.provider.ApiAdapter;
import dev.tollgate.sidecar.provider.BoundedBody;
import dev.tollgate.sidecar.provider.FailureClass;
import dev.tollgate.sidecar.provider.InvalidUpstreamResponse;
import dev.tollgate.sidecar.provider.PendingCall;
import dev.tollgate.sidecar.provider.Provider;
import dev.tollgate.sidecar.provider.TranslatedAnswer;
import dev.tollgate.sidecar.provider.UpstreamFailure;
import dev.tollgate.sidecar.provider.UpstreamHandler;
import dev.tollgate.sidecar.provider.UpstreamHead;
import dev.tollgate.sidecar.provider.UpstreamRefusal;
import dev.tollgate.sidecar.timing.Watchdog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Sends a request to a route's backends until one answers: fails over across backends and priority
 * tiers, then retries the last backend with backoff (honouring Retry-After) until it had
 * {@code retry.attempts} tries (see {@link AttemptPlan}), enforces the first-token, attempt and
 * request timeouts, and feeds the circuit breakers. Only failures before anything reached the client
 * are retried. A backend whose provider family cannot serve the client's API is skipped without
 * counting as an attempt. Driven by the transport's callbacks and the timer: no thread waits.
 */
public final class FailoverExecutor {
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int MAX_ANSWER_BODY = 64 * 1024 * 1024;

    private final CircuitBreakers breakers;

    public FailoverExecutor(CircuitBreakers breakers) {
        this.breakers = breakers;
    }

    /**
     * Starts the attempts; the outcome completes when one answered or started a stream, or all failed
     * (exceptionally when the adapter cannot build the request from the client's input). When {@code clientLeft}
     * completes first, the attempt in flight or the wait for the next is cancelled and the outcome is
     * {@link Outcome.Abandoned}.
     */
    public <R extends ClientRequest> CompletableFuture<Outcome> execute(R request, ApiSelector<R> api, RouteConfig route,
                                                                        Function<String, Provider> providers,
                                                                        Deadline deadline, CompletionStage<Void> clientLeft,
                                                                        AttemptListener listener) {
        Run<R> run = new Run<>(request, api, route, providers, deadline, listener);
        clientLeft.thenRun(run::clientLeft);
        run.next();
        return run.outcome;
    }

    /** Exponential from the route's base, never shorter than the provider's Retry-After. */
    private static long backoffMillis(RouteConfig route, int retry, UpstreamFailure failure) {
        long exponential = route.retry().backoffMs() << Math.min(retry - 1, 10);
        Long retryAfter = failure == null ? null : failure.retryAfterMs();
        return retryAfter == null ? exponential : Math.max(exponential, retryAfter);
    }

    private static UpstreamFailure failure(FailureClass kind, int status, String message) {
        return new UpstreamFailure(kind, status, null, message);
    }

    /** One request's attempts, one at a time. */
    private final class Run<R extends ClientRequest> {
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        private final R request;
        private final ApiSelector<R> api;
        private final RouteConfig route;
        private final Function<String, Provider> providers;
        private final Deadline deadline;
        private final AttemptListener listener;
        private final AttemptPlan plan;
        private UpstreamFailure lastFailure;
        private Attempt last;
        private int attempts;
        private Long longestRetryAfter;
        private long upstreamNanos;
        private boolean anyServes;
        // Guarded by this: what to stop if the client leaves.
        private Try<R> current;
        private Watchdog.Alarm waiting;
        private boolean left;

        Run(R request, ApiSelector<R> api, RouteConfig route, Function<String, Provider> providers, Deadline deadline,
            AttemptListener listener) {
            this.request = request;
            this.api = api;
            this.route = route;
            this.providers = providers;
            this.deadline = deadline;
            this.listener = listener;
            this.plan = new AttemptPlan(route, request.model(), breakers, ThreadLocalRandom.current());
        }

        /** Chooses the next backend and calls it, now or after a backoff; or ends with the last failure. */
        void next() {
            while (!outcome.isDone() && !deadline.passed()) {
                AttemptPlan.Choice choice = plan.next(System.currentTimeMillis());
                if (choice == null) {
                    break;
                }
                Provider provider = providers.apply(choice.backend().provider());
                String upstreamModel = choice.backend().upstreamModel(request.model());
                Optional<ApiAdapter<R>> served = api.select(provider.adapter(), upstreamModel);
                if (served.isEmpty()) {
                    breakers.get(provider.id(), upstreamModel).release();
                    plan.moveOn(); // never retried
                    continue;
                }
                anyServes = true;
                Attempt attempt = new Attempt(choice.backend(), provider, upstreamModel);
                if (choice.retrySame()) {
                    long wait = backoffMillis(route, choice.tryOfBackend() - 1, lastFailure);
                    if (wait >= deadline.remainingMillis()) {
                        breakers.get(provider.id(), upstreamModel).release();
                        break;
                    }
                    synchronized (this) {
                        waiting = Watchdog.arm(wait, () -> start(attempt, served.get()));
                    }
                    return;
                }
                if (last != null) {
                    listener.failedOver(last);
                }
                start(attempt, served.get());
                return;
            }
            if (!outcome.isDone()) {
                giveUp();
            }
        }

        private void start(Attempt attempt, ApiAdapter<R> adapter) {
            attempts++;
            Try<R> attemptNow = new Try<>(this, attempt, adapter);
            synchronized (this) {
                waiting = null;
                if (left || outcome.isDone()) {
                    attemptNow.breaker.release();
                    return;
                }
                current = attemptNow;
            }
            attemptNow.begin();
        }

        private void giveUp() {
            if (lastFailure == null && !anyServes && plan.triedAny()) {
                lastFailure = failure(FailureClass.CLIENT_ERROR, 400, "no backend of route '" + route.name() + "' serves this API");
            } else if (lastFailure == null) {
                lastFailure = failure(FailureClass.SERVER_ERROR, 0,
                        "no backend of route '" + route.name() + "' is available (circuits open)");
            } else if (deadline.passed()) {
                lastFailure = failure(FailureClass.TIMEOUT, lastFailure.status(),
                        "request timeout reached; last failure: " + lastFailure.message());
            } else if (lastFailure.kind() == FailureClass.RATE_LIMITED) {
                // The client is told to wait as long as the most patient backend asked.
                lastFailure = new UpstreamFailure(FailureClass.RATE_LIMITED, lastFailure.status(), longestRetryAfter,
                        lastFailure.message());
            }
            outcome.complete(new Outcome.Failed(last, lastFailure, attempts));
        }

        void succeeded(Try<R> attempt, Outcome answer) {
            attempt.breaker.onSuccess();
            listener.attempted(attempt.attempt, "success");
            outcome.complete(answer);
        }

        void failed(Try<R> tried, UpstreamFailure failure) {
            listener.attempted(tried.attempt, failure.kind().wireName());
            last = tried.attempt;
            lastFailure = failure;
            if (failure.retryAfterMs() != null) {
                longestRetryAfter = Math.max(failure.retryAfterMs(), longestRetryAfter == null ? 0 : longestRetryAfter);
            }
            if (failure.kind() == FailureClass.CLIENT_ERROR) {
                tried.breaker.onSuccess(); // the provider is healthy; the request was wrong
                outcome.complete(new Outcome.Failed(tried.attempt, failure, attempts));
                return;
            }
            tried.breaker.onFailure(route.circuitBreaker(), System.currentTimeMillis());
            if (!route.retry().on().contains(failure.kind().wireName())) {
                outcome.complete(new Outcome.Failed(tried.attempt, failure, attempts));
                return;
            }
            next();
        }

        /** The client left: what is in flight or waiting is dropped, and nothing more starts. */
        void clientLeft() {
            Try<R> inFlight;
            Watchdog.Alarm pending;
            synchronized (this) {
                left = true;
                inFlight = current;
                pending = waiting;
            }
            if (pending != null) {
                pending.cancel();
            }
            boolean sent = inFlight != null && inFlight.abandon();
            outcome.complete(new Outcome.Abandoned(sent ? inFlight.attempt : null, last, attempts, upstreamNanos));
        }
    }

    /**
     * One attempt: a complete answer collected, a stream's first event translated, or a failure.
     * One alarm covers it until then: the first token of a stream, the attempt timeout of an answer,
     * neither past the request's deadline.
     */
    private final class Try<R extends ClientRequest> implements UpstreamHandler, StartedStream.Opening {
        private final Run<R> run;
        private final Attempt attempt;
        private final ApiAdapter<R> adapter;
        private final CircuitBreaker breaker;
        private final PendingCall call = new PendingCall();
        private long startNanos;
        // Guarded by this.
        private boolean settled;
        private Watchdog.Alarm alarm;
        private UpstreamHead head;
        private BoundedBody body;
        private StartedStream stream;

        Try(Run<R> run, Attempt attempt, ApiAdapter<R> adapter) {
            this.run = run;
            this.attempt = attempt;
            this.adapter = adapter;
            this.breaker = breakers.get(attempt.provider().id(), attempt.upstreamModel());
        }

        void begin() {
            boolean stream = run.request.stream();
            long limitMs = Math.min(stream ? run.route.timeouts().firstTokenMs() : run.route.timeouts().attemptMs(),
                    run.deadline.remainingMillis());
            String what = stream ? "no first token within " + limitMs + " ms" : "no answer within " + limitMs + " ms";
            startNanos = System.nanoTime();
            synchronized (this) {
                if (settled) {
                    return; // the client left before it began
                }
                alarm = Watchdog.arm(Math.max(1, limitMs), () -> timedOut(what));
            }
            try {
                call.set(adapter.send(attempt.provider().transport(), run.request, attempt.upstreamModel(),
                        attempt.provider().config(), this));
            } catch (RuntimeException unsendable) {
                // The adapter could not build the request (the client's input); nothing was sent.
                synchronized (this) {
                    settled = true;
                    alarm.cancel();
                }
                breaker.release();
                run.outcome.completeExceptionally(unsendable);
            }
        }

        @Override
        public synchronized void onHead(UpstreamHead received) {
            if (settled) {
                return;
            }
            head = received;
            long length = received.header("content-length").map(FailoverExecutor::parseLength).orElse(-1L);
            if (!received.successful()) {
                body = new BoundedBody(MAX_ERROR_BODY, length);
            } else if (!run.request.stream()) {
                body = new BoundedBody(MAX_ANSWER_BODY, length);
            } else {
                stream = new StartedStream(attempt, call, attempt.provider().adapter().events(),
                        adapter.stream(run.request), received.status(), this);
            }
        }

        @Override
        public synchronized void onData(ByteBuffer data) {
            if (stream != null) {
                stream.onData(data);
            } else if (!settled && !body.add(data)) {
                if (head.successful()) {
                    fail(failure(FailureClass.SERVER_ERROR, 0, "answer larger than " + MAX_ANSWER_BODY + " bytes"));
                } else {
                    errorAnswered(); // the start of the error body says enough
                }
            }
        }

        @Override
        public synchronized void onEnd() {
            if (stream != null) {
                stream.onEnd();
            } else if (!settled && head.successful()) {
                answered();
            } else if (!settled) {
                errorAnswered();
            }
        }

        @Override
        public synchronized void onFailure(IOException cause) {
            if (stream != null) {
                stream.onFailure(cause);
            } else if (!settled) {
                String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
                fail(head == null ? failure(FailureClass.CONNECT_ERROR, 0, "connection failed: " + reason)
                        : failure(FailureClass.SERVER_ERROR, 0, "connection lost while reading the answer"));
            }
        }

        private void answered() {
            TranslatedAnswer answer;
            try {
                answer = adapter.answer(body.bytes(), run.request);
            } catch (InvalidUpstreamResponse e) {
                fail(failure(FailureClass.SERVER_ERROR, head.status(), e.getMessage()));
                return;
            } catch (UpstreamRefusal e) {
                fail(failure(FailureClass.CLIENT_ERROR, 400, e.getMessage()));
                return;
            }
            if (settle()) {
                run.succeeded(this, new Outcome.Answered(attempt, answer, run.attempts, run.upstreamNanos));
            }
        }

        private void errorAnswered() {
            fail(attempt.provider().adapter().failure(head.status(), head.header("retry-after"), body.bytes(),
                    attempt.provider().config()));
        }

        @Override
        public void opened() {
            if (settle()) {
                run.succeeded(this, new Outcome.StreamStarted(stream, run.attempts, run.upstreamNanos));
            }
        }

        @Override
        public void failedToOpen(UpstreamFailure failure) {
            fail(failure);
        }

        private synchronized void timedOut(String what) {
            if (!settled) {
                call.cancel();
                fail(failure(FailureClass.TIMEOUT, 0, what));
            }
        }

        /**
         * The client left: the attempt ends without counting for or against the backend. True when it was still
         * in flight (the provider may have the request), false when it had already ended.
         */
        synchronized boolean abandon() {
            if (settled) {
                return false;
            }
            settled = true;
            if (alarm != null) {
                alarm.cancel();
                run.upstreamNanos += System.nanoTime() - startNanos;
            }
            call.cancel();
            breaker.release();
            return true;
        }

        private void fail(UpstreamFailure failure) {
            if (settle()) {
                call.cancel();
                run.failed(this, failure);
            }
        }

        /** The first of answer, stream, failure and timeout wins; it stops the alarm and counts the time. */
        private synchronized boolean settle() {
            if (settled) {
                return false;
            }
            settled = true;
            alarm.cancel();
            run.upstreamNanos += System.nanoTime() - startNanos;
            return true;
        }
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
