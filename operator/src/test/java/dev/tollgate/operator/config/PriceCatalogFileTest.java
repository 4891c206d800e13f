package dev.tollgate.operator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.sidecar.config.ModelPrice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceCatalogFileTest {
    @TempDir
    Path dir;

    @Test
    void rowsShapedLikeAnAIRoutesPricingBecomeMicroDollarsPerMillionTokens() throws IOException {
        Path file = write("""
                # as the chart renders it from values.priceCatalog
                pricing:
                  - model: gpt-4o-mini
                    input: "0.15"
                    cachedInput: "0.075"
                    output: "0.60"
                  - model: claude-sonnet-4-5
                    input: "3"
                    cacheWrite: "3.75"
                    output: "15.00"
                    reasoning: "15"
                """);

        assertThat(PriceCatalogFile.read(file)).containsExactly(
                new ModelPrice("gpt-4o-mini", 150_000, 75_000L, null, 600_000, null),
                new ModelPrice("claude-sonnet-4-5", 3_000_000, null, 3_750_000L, 15_000_000, 15_000_000L));
    }

    @Test
    void anEmptyListIsNoOverrides() throws IOException {
        assertThat(PriceCatalogFile.read(write("pricing: []\n"))).isEmpty();
    }

    @Test
    void aWrongFileIsRefusedNamingTheFileAndTheField() throws IOException {
        assertThatThrownBy(() -> PriceCatalogFile.read(write("pricing:\n  - model: m\n    input: \"0.1\"\n    ouput: \"0.2\"\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageEndingWith("prices.yaml: pricing[0].ouput: unknown field 'ouput'");
        assertThatThrownBy(() -> PriceCatalogFile.read(write("pricing:\n  - model: m\n    input: \"0.1\"\n")))
                .hasMessageEndingWith("prices.yaml: pricing[0].output: required");
        assertThatThrownBy(() -> PriceCatalogFile.read(write("pricing:\n  - model: m\n    input: \"cheap\"\n    output: \"1\"\n")))
                .hasMessageEndingWith("prices.yaml: pricing[0].input: 'cheap' is not a USD amount like \"12.50\"");
        assertThatThrownBy(() -> PriceCatalogFile.read(write("""
                pricing:
                  - {model: gpt-4o, input: "2.5", output: "10"}
                  - {model: GPT-4o, input: "5", output: "15"}
                """)))
                .hasMessageEndingWith("prices.yaml: pricing[1].model: 'GPT-4o' is priced twice");
        assertThatThrownBy(() -> PriceCatalogFile.read(write("- model: m\n")))
                .hasMessageStartingWith("price catalog " + dir.resolve("prices.yaml") + ": ");
        assertThatThrownBy(() -> PriceCatalogFile.read(write("prices: []\n")))
                .hasMessageContaining("unknown field 'prices'");
        assertThatThrownBy(() -> PriceCatalogFile.read(write("# nothing\n")))
                .hasMessageEndingWith("needs a 'pricing' list of rows (model, input, output; optional cachedInput, cacheWrite, reasoning)");
        assertThatThrownBy(() -> PriceCatalogFile.read(dir.resolve("missing.yaml")))
                .hasMessageStartingWith("price catalog " + dir.resolve("missing.yaml") + ": cannot read it");
    }

    private Path write(String yaml) throws IOException {
        return Files.writeString(dir.resolve("prices.yaml"), yaml);
    }
}
