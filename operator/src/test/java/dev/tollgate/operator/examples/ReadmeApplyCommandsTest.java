package dev.tollgate.operator.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The READMEs' {@code cat examples/DIR/*.yaml | envsubst ... | kubectl apply -f -} hands kubectl every object of
 * every file, each whole: the files are joined with nothing between them, so each must begin a document of its own.
 */
class ReadmeApplyCommandsTest {
    private static final Map<String, String> KEYS = Map.of("OPENAI_API_KEY", "sk-proj-example", "ANTHROPIC_API_KEY", "sk-ant-example");

    @Test
    void theReadmesApplyTheQuickstartAndMultiTeamExamples() {
        assertThat(ReadmeApply.commands()).extracting(ReadmeApply.Command::directory)
                .containsExactlyInAnyOrder("examples/quickstart", "examples/multi-team");
    }

    @Test
    void everyApplyCommandGivesKubectlEveryObjectOfEveryFileWhole() {
        for (ReadmeApply.Command command : ReadmeApply.commands()) {
            List<JsonNode> objects = ReadmeApply.documents(command.stream(KEYS));
            int inFiles = command.files().stream().mapToInt(ReadmeApplyCommandsTest::objectsIn).sum();

            assertThat(objects).as(command.directory() + ": objects kubectl reads, one per document of the files")
                    .hasSize(inFiles);
            assertThat(objects).as(command.directory()).allSatisfy(object -> {
                assertThat(object.isObject()).isTrue();
                assertThat(object.path("apiVersion").asText()).isNotBlank();
                assertThat(object.path("kind").asText()).isNotBlank();
                assertThat(object.path("metadata").path("name").asText()).isNotBlank();
            });
            assertThat(command.stream(KEYS)).as(command.directory() + ": every variable substituted").doesNotContain("${");
        }
    }

    @Test
    void theQuickstartIsNineObjectsAndMultiTeamThirteen() {
        Map<String, Integer> expected = Map.of("examples/quickstart", 9, "examples/multi-team", 13);
        for (ReadmeApply.Command command : ReadmeApply.commands()) {
            List<JsonNode> objects = ReadmeApply.documents(command.stream(KEYS));
            assertThat(objects).as(command.directory()).hasSize(expected.get(command.directory()));
            assertThat(objects.get(0).path("kind").asText()).as("the namespaces come first").isEqualTo("Namespace");
        }
    }

    /** The objects of one file read on its own, as {@code kubectl apply -f FILE} reads it. */
    private static int objectsIn(Path file) {
        try {
            return ReadmeApply.documents(Files.readString(file)).size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
