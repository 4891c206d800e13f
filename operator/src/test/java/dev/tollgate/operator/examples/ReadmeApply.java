package dev.tollgate.operator.examples;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The READMEs' cluster apply commands, {@code cat examples/DIR/*.yaml | envsubst '$A $B' | kubectl apply -f -}, run
 * as the shell and kubectl run them: the files' bytes joined with nothing between them (as {@code cat} does), the
 * named variables substituted, and the stream split into documents as kubectl's YAML reader splits it (on a line
 * that is {@code ---} and nothing else but spaces; a document of comments alone is no object).
 */
public final class ReadmeApply {
    /** The repository's examples, from a module's directory (where the build runs tests). */
    public static final Path REPOSITORY = Path.of("..");
    private static final Pattern COMMAND =
            Pattern.compile("cat (examples/[\\w-]+)/\\*\\.yaml \\| envsubst '([^']*)' \\| kubectl apply -f -");
    private static final Pattern SEPARATOR = Pattern.compile("---\\s*");
    /** Duplicate keys are an error, as in kubectl: two documents run together repeat {@code apiVersion} and {@code kind}. */
    private static final YAMLMapper YAML = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    /** One apply command: the directory whose {@code *.yaml} it joins and the variables envsubst replaces. */
    public record Command(String directory, List<String> variables) {
        /** The YAML files {@code cat DIR/*.yaml} reads, in the shell's order. */
        public List<Path> files() {
            try (Stream<Path> all = Files.list(REPOSITORY.resolve(directory))) {
                return all.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                        .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** What reaches kubectl's standard input, with {@code env} in the shell. */
        public String stream(Map<String, String> env) {
            StringBuilder joined = new StringBuilder();
            for (Path file : files()) {
                try {
                    joined.append(Files.readString(file, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            String text = joined.toString();
            for (String variable : variables) {
                String value = env.getOrDefault(variable, "");
                text = text.replace("${" + variable + "}", value).replace("$" + variable, value);
            }
            return text;
        }
    }

    private ReadmeApply() {
    }

    /** Every distinct apply command in {@code README.md} and the examples' own READMEs. */
    public static List<Command> commands() {
        List<Command> commands = new ArrayList<>();
        try (Stream<Path> readmes = Stream.concat(Stream.of(REPOSITORY.resolve("README.md")),
                Files.list(REPOSITORY.resolve("examples")).map(dir -> dir.resolve("README.md")).filter(Files::exists))) {
            for (Path readme : readmes.sorted().toList()) {
                Matcher m = COMMAND.matcher(Files.readString(readme));
                while (m.find()) {
                    List<String> variables = Arrays.stream(m.group(2).trim().split("\\s+")).map(v -> v.replaceFirst("^\\$", "")).toList();
                    Command command = new Command(m.group(1), variables);
                    if (!commands.contains(command)) {
                        commands.add(command);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return commands;
    }

    /** The objects kubectl reads from {@code stream}; fails on a document that is not valid YAML or has a key twice. */
    public static List<JsonNode> documents(String stream) {
        List<JsonNode> objects = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : (stream + "\n---").split("\n", -1)) {
            if (SEPARATOR.matcher(line).matches()) {
                JsonNode doc = parse(current.toString());
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    objects.add(doc);
                }
                current.setLength(0);
            } else {
                current.append(line).append('\n');
            }
        }
        return objects;
    }

    private static JsonNode parse(String document) {
        try {
            return YAML.readTree(document);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("kubectl would refuse this document: " + e.getOriginalMessage() + "\n" + document, e);
        }
    }
}
