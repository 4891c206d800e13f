package dev.tollgate.sidecar.control;

import dev.tollgate.sidecar.wire.ControlSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The last applied snapshot, kept as {@code snapshot.json} in the pod's in-memory emptyDir: a
 * sidecar restarted while the operator is away starts serving from it. Readable by its owner only
 * (it holds provider keys).
 */
public final class SnapshotFile {
    public static final String NAME = "snapshot.json";
    private final Path file;

    public SnapshotFile(Path stateDir) {
        this.file = stateDir.resolve(NAME);
    }

    public Path path() {
        return file;
    }

    /**
     * The kept snapshot; empty when there is none.
     *
     * @throws dev.tollgate.sidecar.config.ConfigException when the file is not a valid snapshot
     * @throws IOException when it exists but cannot be read
     */
    public Optional<ControlSnapshot> read() throws IOException {
        try {
            return Optional.of(ControlSnapshot.parse(Files.readAllBytes(file)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    public void write(ControlSnapshot snapshot) throws IOException {
        AtomicFiles.write(file, snapshot.toJson());
    }
}
