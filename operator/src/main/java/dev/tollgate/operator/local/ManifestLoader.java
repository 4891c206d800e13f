package dev.tollgate.operator.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.tollgate.operator.api.AIRoute;
import dev.tollgate.operator.api.ApiGroup;
import dev.tollgate.operator.api.ProviderSecret;
import dev.tollgate.operator.api.SpendKey;
import dev.tollgate.operator.config.YamlErrors;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the manifests of a directory as {@code kubectl apply -f DIR} would: every
 * {@code *.yaml}/{@code *.yml} file, several documents per file. Secret {@code stringData}
 * values may say {@code ${ENV_VAR}}, so real keys come from the environment, not the files.
 */
public final class ManifestLoader {
    /** An object without a namespace lands in "default", as with kubectl. */
    public static final String DEFAULT_NAMESPACE = "default";

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("^---(\\s.*)?$");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private final Map<String, String> env;

    /** @param env the environment for {@code ${ENV_VAR}} in Secret values, usually {@code System.getenv()} */
    public ManifestLoader(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    public Manifests load(Path dir) throws ManifestException {
        Collector collector = new Collector();
        for (Path file : manifestFiles(dir)) {
            String text;
            try {
                text = Files.readString(file);
            } catch (IOException e) {
                throw new ManifestException(file + ": cannot read: " + e.getMessage());
            }
            for (Document doc : split(text)) {
                read(file, doc, collector);
            }
        }
        return new Manifests(collector.of(ProviderSecret.class), collector.of(AIRoute.class),
                collector.of(SpendKey.class), collector.of(Secret.class), collector.notes);
    }

    /** Top-level YAML files by name; hidden files (editor backups, the state directory) are not manifests. */
    static List<Path> manifestFiles(Path dir) throws ManifestException {
        if (!Files.isDirectory(dir)) {
            throw new ManifestException(dir + ": not a directory");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> {
                        String name = p.getFileName().toString();
                        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"));
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ManifestException(dir + ": cannot list: " + e.getMessage());
        }
    }

    private void read(Path file, Document doc, Collector collector) throws ManifestException {
        JsonNode tree = parse(file, doc, YAML::readTree);
        if (tree.isNull() || tree.isMissingNode()) {
            return; // an empty or comment-only document
        }
        if (!tree.isObject()) {
            throw new ManifestException(file + ":" + doc.firstLine() + ": not a Kubernetes object");
        }
        String kind = tree.path("kind").asText("");
        String apiVersion = tree.path("apiVersion").asText("");
        Class<? extends HasMetadata> type = switch (kind) {
            case "AIRoute" -> AIRoute.class;
            case "ProviderSecret" -> ProviderSecret.class;
            case "SpendKey" -> SpendKey.class;
            case "Secret" -> Secret.class;
            default -> null;
        };
        String at = file + ":" + doc.firstLine() + ": ";
        if (type == null) {
            collector.notes.add(at + "ignored " + (kind.isEmpty() ? "a document without kind" : kind)
                    + " (local mode reads AIRoute, ProviderSecret, SpendKey and Secret)");
            return;
        }
        String expectedApiVersion = type == Secret.class ? "v1" : ApiGroup.API_VERSION;
        if (!expectedApiVersion.equals(apiVersion)) {
            throw new ManifestException(at + kind + ": apiVersion must be " + expectedApiVersion + ", not '" + apiVersion + "'");
        }
        HasMetadata object = parse(file, doc, text -> YAML.readValue(text, type));
        if (object.getMetadata() == null || object.getMetadata().getName() == null || object.getMetadata().getName().isBlank()) {
            throw new ManifestException(at + kind + ": metadata.name is required");
        }
        if (object.getMetadata().getNamespace() == null) {
            object.getMetadata().setNamespace(DEFAULT_NAMESPACE);
        }
        if (object instanceof Secret secret) {
            substituteEnv(secret, at, collector.notes);
        }
        collector.add(object, at);
    }

    private static <T> T parse(Path file, Document doc, YamlReader<T> reader) throws ManifestException {
        try {
            return reader.read(doc.text());
        } catch (JsonProcessingException e) {
            throw new ManifestException(file + ":" + (doc.firstLine() + lineWithin(doc, e) - 1) + ": " + YamlErrors.describe(e));
        }
    }

    /** A wrong value: the line of its field. A YAML syntax error: where the parser gave up. */
    private static int lineWithin(Document doc, JsonProcessingException e) {
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            return YamlLocator.lineOf(doc.text(), m.getPath());
        }
        return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? 1 : e.getLocation().getLineNr();
    }

    /**
     * Replaces {@code ${NAME}} in stringData values. A value that names an unset variable is
     * dropped with a note, so the provider using it reports its key missing.
     */
    private void substituteEnv(Secret secret, String at, List<String> notes) {
        if (secret.getStringData() == null) {
            return;
        }
        Map<String, String> values = new LinkedHashMap<>();
        secret.getStringData().forEach((key, value) -> {
            Matcher m = ENV_REFERENCE.matcher(value == null ? "" : value);
            StringBuilder out = new StringBuilder();
            List<String> unset = new ArrayList<>();
            while (m.find()) {
                String resolved = env.get(m.group(1));
                if (resolved == null) {
                    unset.add(m.group(1));
                    resolved = "";
                }
                m.appendReplacement(out, Matcher.quoteReplacement(resolved));
            }
            m.appendTail(out);
            if (unset.isEmpty()) {
                values.put(key, out.toString());
            } else {
                notes.add(at + "Secret " + secret.getMetadata().getName() + ": stringData." + key
                        + " left out: environment variable " + String.join(", ", unset) + " is not set");
            }
        });
        secret.setStringData(values);
    }

    /** YAML documents with the line each starts on, so errors point into the file. */
    static List<Document> split(String text) {
        List<Document> docs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int firstLine = 1;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (DOCUMENT_SEPARATOR.matcher(line).matches()) {
                docs.add(new Document(firstLine, current.toString()));
                current.setLength(0);
                firstLine = lineNo + 1;
            } else {
                current.append(line).append('\n');
            }
        }
        docs.add(new Document(firstLine, current.toString()));
        return docs;
    }

    record Document(int firstLine, String text) {
    }

    @FunctionalInterface
    private interface YamlReader<T> {
        T read(String yaml) throws JsonProcessingException;
    }

    /** Objects by kind, refusing the same object twice. */
    private static final class Collector {
        final List<String> notes = new ArrayList<>();
        private final Map<String, String> seenAt = new HashMap<>();
        private final List<HasMetadata> objects = new ArrayList<>();

        void add(HasMetadata object, String at) throws ManifestException {
            String id = object.getKind() + " " + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName();
            String earlier = seenAt.putIfAbsent(id, at);
            if (earlier != null) {
                throw new ManifestException(at + id + " is already defined at " + earlier.substring(0, earlier.length() - 2));
            }
            objects.add(object);
        }

        <T extends HasMetadata> List<T> of(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }
}
