package dev.tollgate.sidecar.provider;

/** One server-sent event: its optional name and its data (data lines joined by newlines). */
public record SseEvent(String event, String data) {
}
