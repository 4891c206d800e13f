package dev.tollgate.operator.local;

import dev.tollgate.operator.config.KeyFingerprint;
import dev.tollgate.operator.config.Problem;
import dev.tollgate.operator.config.Snapshot;
import dev.tollgate.sidecar.config.BackendConfig;
import dev.tollgate.sidecar.config.GatewayConfig;
import dev.tollgate.sidecar.config.ProviderConfig;
import dev.tollgate.sidecar.config.RouteConfig;
import dev.tollgate.sidecar.config.SpendKeyConfig;
import dev.tollgate.sidecar.metering.Money;
import dev.tollgate.sidecar.spend.SpendKeyLedger;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Collectors;

/** What local mode loaded, in a few lines a person reads at a glance. Never a key or token. */
final class LoadReport {
    private LoadReport() {
    }

    static void print(PrintStream out, String headline, Snapshot snapshot, List<String> notes, List<SpendKeyLedger> ledgers) {
        GatewayConfig config = snapshot.config();
        out.println(headline);
        for (ProviderConfig p : config.providers()) {
            out.println("  provider   " + p.id() + " (" + p.type()
                    + (p.apiKey() == null ? "" : ", key " + KeyFingerprint.of(p.apiKey())) + ")");
        }
        for (RouteConfig r : config.routes()) {
            out.println("  route      " + r.name() + ": " + String.join(", ", r.models()) + " -> " + backends(r));
        }
        for (SpendKeyConfig k : config.spendKeys()) {
            out.println("  spend key  " + k.name() + ": " + (k.models().isEmpty() ? "all models" : String.join(", ", k.models()))
                    + budget(k) + ", spent " + Money.formatUsd(spent(k.name(), ledgers)));
        }
        if (config.routes().isEmpty()) {
            out.println("  (no routes: every request will get 404)");
        }
        notes.forEach(n -> out.println("  note       " + n));
        for (Problem p : snapshot.problems()) {
            out.println("  problem    " + p);
        }
        out.flush();
    }

    private static String backends(RouteConfig route) {
        return route.backends().stream()
                .map(b -> b.provider() + (b.model() == null ? "" : " as " + b.model()) + tier(route, b))
                .collect(Collectors.joining(", "));
    }

    /** Priorities matter only when a route has several; they show where failover goes. */
    private static String tier(RouteConfig route, BackendConfig backend) {
        boolean tiers = route.backends().stream().map(BackendConfig::priority).distinct().count() > 1;
        return tiers ? " (priority " + backend.priority() + ")" : "";
    }

    private static String budget(SpendKeyConfig key) {
        return key.budgetMicros() == null ? "; no budget"
                : "; budget " + Money.formatUsd(key.budgetMicros()) + " " + key.period().wireName();
    }

    private static long spent(String name, List<SpendKeyLedger> ledgers) {
        return ledgers.stream().filter(l -> l.name().equals(name)).mapToLong(SpendKeyLedger::spentMicros).sum();
    }
}
