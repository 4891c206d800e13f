package dev.tollgate.operator.lease;

import static dev.tollgate.operator.lease.LeaseCluster.COST_MICROS;
import static dev.tollgate.operator.lease.LeaseCluster.budgetSpec;
import static dev.tollgate.operator.lease.LeaseCluster.micros;
import static dev.tollgate.operator.lease.LeaseCluster.spentMicros;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.operator.api.SpendKeyStatus;
import dev.tollgate.sidecar.metering.Money;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A burst on a key nobody has spent from yet: three sidecars, no lease among them, 200 requests at once on a budget
 * that covers 100. Requests a lease cannot cover wait for the sidecar's next lease call, which asks for what they
 * need, so the burst is served until the key's budget is spent, and never past it.
 */
class BurstOnAFreshKeyTest extends WithLeaseCluster {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PODS = 3;
    private static final int REQUESTS = 200;
    private static final long COVERED = 100;
    private static final Pattern REFUSAL = Pattern.compile("Spend key 'team-a/fresh' has \\$([0-9.]+) left of its monthly budget of \\$"
            + Pattern.quote(Money.formatUsd(COVERED * COST_MICROS)) + "(?:, of which this pod may spend \\$([0-9.]+) without asking the operator)?"
            + "; this request may cost up to \\$" + Pattern.quote(Money.formatUsd(COST_MICROS)) + "\\.");

    @Test
    void aBurstOfTwoHundredOverThreeSidecarsIsServedUntilTheBudgetIsSpentAndNoFurther() throws Exception {
        startCluster(Instant.parse("2030-01-15T12:00:00Z"));
        long limit = COVERED * COST_MICROS;
        SpendKeyRef fresh = cluster.spendKey("fresh", budgetSpec(limit, "monthly", "strict"));
        cluster.startOperator();
        List<SidecarPod> pods = cluster.startPods(PODS);

        List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            sent.add(pods.get(i % PODS).chatAsync(fresh));
        }
        List<HttpResponse<String>> answers = sent.stream().map(CompletableFuture::join).toList();
        List<HttpResponse<String>> refused = answers.stream().filter(a -> a.statusCode() != 200).toList();
        refused.forEach(SidecarPod::assertBudgetExceeded);
        long served = answers.size() - refused.size();
        long spent = spentMicros(pods, fresh);
        System.out.printf("burst of %d over %d sidecars on a budget of %d requests: %d served, %d refused, %d%% of the budget used%n",
                REQUESTS, PODS, COVERED, served, refused.size(), spent * 100 / limit);

        assertThat(spent).as("spent, by the usage lines").isEqualTo(served * COST_MICROS).isLessThanOrEqualTo(limit);
        assertThat(spent * 10).as("at least 90% of the budget used (served " + served + ")").isGreaterThanOrEqualTo(limit * 9);
        SpendKeyStatus status = cluster.awaitStatus("fresh", "spent as the usage lines say, " + spent,
                s -> micros(s.spent()) == spent && s.requests() == served);
        assertThat(micros(status.unreconciled())).isZero();
        // A refusal names what the key has left, as the operator last said, and what this pod held, when that differs.
        for (HttpResponse<String> refusal : refused) {
            String message = JSON.readTree(refusal.body()).path("error").path("message").asText();
            Matcher m = REFUSAL.matcher(message);
            assertThat(m.matches()).as(message).isTrue();
            assertThat(Money.parseUsd(m.group(1))).as(message).isBetween(0L, limit);
            long pod = m.group(2) == null ? Money.parseUsd(m.group(1)) : Money.parseUsd(m.group(2));
            assertThat(pod).as("what this pod could still spend did not cover the request: " + message).isLessThan(COST_MICROS);
        }
    }
}
