package dev.tollgate.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

/** Retries and failover on failures before the first byte reached the client. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record RetrySpec(
        @Min(1) @JsonPropertyDescription("Tries of one backend; 1 = no retry of the same backend. Every backend"
                + " of the route is tried, a priority tier after the one above failed, whatever this number; the"
                + " last one tried is then retried up to this many tries in all. Default 3.")
        Integer attempts,
        @JsonPropertyDescription("Failure classes to retry: rate-limited, server-error, timeout, connect-error. Default: all.")
        List<@Pattern("^(rate-limited|server-error|timeout|connect-error)$") String> on,
        @Pattern(Formats.DURATION) @JsonPropertyDescription("Base delay before retrying the same backend; doubles each time.")
        String backoff) {
}
