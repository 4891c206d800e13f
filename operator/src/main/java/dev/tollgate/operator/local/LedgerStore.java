package dev.tollgate.operator.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tollgate.sidecar.config.ConfigJson;
import dev.tollgate.sidecar.control.AtomicFiles;
import dev.tollgate.sidecar.spend.SpendKeyLedger;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Spend-key ledgers in {@code state.json}, so a restart neither resets budgets nor forgets spend. */
final class LedgerStore {
    private final Path file;

    LedgerStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** Nothing saved yet gives no ledgers; a damaged file is an error, never a silently reset budget. */
    List<SpendKeyLedger> load() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            return ConfigJson.MAPPER.readValue(file.toFile(), State.class).spendKeys();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("state file " + file + " is damaged (" + e.getOriginalMessage()
                    + "); fix it, or delete it to start every budget from zero", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read state file " + file, e);
        }
    }

    void save(List<SpendKeyLedger> ledgers) throws IOException {
        AtomicFiles.write(file, ConfigJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(new State(ledgers)));
    }

    /** The file's shape; an object, so later versions can add to it. */
    record State(List<SpendKeyLedger> spendKeys) {
        State {
            spendKeys = spendKeys == null ? List.of() : List.copyOf(spendKeys);
        }
    }
}
