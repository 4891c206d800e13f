package dev.tollgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Java launcher {@code @argfile}s read as the launcher reads them, so the report shows the flags that ran. */
final class ArgFiles {
    private ArgFiles() {
    }

    /** Each {@code @path} replaced by the file's words, {@code #} comment lines left out; other words kept. */
    static List<String> expand(List<String> args) throws IOException {
        List<String> flags = new ArrayList<>();
        for (String arg : args) {
            if (!arg.startsWith("@")) {
                flags.add(arg);
                continue;
            }
            for (String line : Files.readAllLines(Path.of(arg.substring(1)))) {
                String text = line.strip();
                if (!text.isEmpty() && !text.startsWith("#")) {
                    flags.addAll(List.of(text.split("\\s+")));
                }
            }
        }
        return flags;
    }
}
