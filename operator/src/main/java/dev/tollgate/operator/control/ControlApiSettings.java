package dev.tollgate.operator.control;

import java.time.Duration;

/**
 * Where the control API listens and how long a long poll waits for a new version.
 *
 * @param longPoll how long {@code GET /v1/snapshot?version=V} waits before answering 304
 */
public record ControlApiSettings(String host, int port, Duration longPoll) {

    public static ControlApiSettings defaults() {
        return new ControlApiSettings("0.0.0.0", 8443, Duration.ofSeconds(25));
    }
}
