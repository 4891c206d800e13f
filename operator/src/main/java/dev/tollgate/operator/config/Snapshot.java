package dev.tollgate.operator.config;

import dev.tollgate.sidecar.config.GatewayConfig;
import java.util.List;

/** A validated configuration for one namespace and what was left out of it, and why. */
public record Snapshot(GatewayConfig config, List<Problem> problems) {

    public Snapshot {
        problems = List.copyOf(problems);
    }

    public List<Problem> problemsOf(String kind, String name) {
        return problems.stream().filter(p -> p.kind().equals(kind) && p.name().equals(name)).toList();
    }
}
