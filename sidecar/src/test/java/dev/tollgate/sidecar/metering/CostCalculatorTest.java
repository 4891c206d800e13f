package dev.tollgate.sidecar.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.sidecar.config.ModelPrice;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {
    private static final ModelPrice GPT_4O_MINI = PriceCatalog.builtIn().price("gpt-4o-mini").orElseThrow();

    @Test
    void aMillionInputTokensCostTheListPrice() {
        assertThat(CostCalculator.costMicros(new Usage(1_000_000, 0, 0, 0, 0), GPT_4O_MINI)).isEqualTo(150_000);
        assertThat(CostCalculator.costMicros(new Usage(0, 0, 0, 1_000_000, 0), GPT_4O_MINI)).isEqualTo(600_000);
    }

    @Test
    void roundsHalfUpOnTheTotal() {
        assertThat(CostCalculator.costMicros(new Usage(7, 0, 0, 0, 0), GPT_4O_MINI)).isEqualTo(1); // 1.05
        assertThat(CostCalculator.costMicros(new Usage(3, 0, 0, 0, 0), GPT_4O_MINI)).isEqualTo(0); // 0.45
        assertThat(CostCalculator.costMicros(new Usage(1, 0, 0, 0, 0), flat(500_000))).isEqualTo(1); // 0.5
        assertThat(CostCalculator.costMicros(new Usage(1, 0, 0, 0, 0), flat(499_999))).isEqualTo(0);
        // 0.4 + 0.4: rounding each bucket would bill 0, the total bills 1
        ModelPrice tiny = new ModelPrice("tiny", 400_000, null, null, 400_000, null);
        assertThat(CostCalculator.costMicros(new Usage(1, 0, 0, 1, 0), tiny)).isEqualTo(1);
    }

    @Test
    void eachBucketIsPricedAtItsOwnRate() {
        ModelPrice price = new ModelPrice("m", 3_000_000, 300_000L, 3_750_000L, 15_000_000, 20_000_000L);
        assertThat(CostCalculator.costMicros(new Usage(0, 1_000_000, 0, 0, 0), price)).isEqualTo(300_000);
        assertThat(CostCalculator.costMicros(new Usage(0, 0, 1_000_000, 0, 0), price)).isEqualTo(3_750_000);
        assertThat(CostCalculator.costMicros(new Usage(0, 0, 0, 0, 1_000_000), price)).isEqualTo(20_000_000);
        assertThat(CostCalculator.costMicros(new Usage(1_000, 2_000, 3_000, 4_000, 5_000), price))
                .isEqualTo(3_000 + 600 + 11_250 + 60_000 + 100_000);
    }

    @Test
    void unpricedBucketsFallBackToInputAndOutputRates() {
        ModelPrice price = flat(2_000_000);
        assertThat(CostCalculator.costMicros(new Usage(0, 1_000, 1_000, 0, 0), price)).isEqualTo(4_000);
        assertThat(CostCalculator.costMicros(new Usage(0, 0, 0, 0, 1_000), price)).isEqualTo(8_000);
    }

    @Test
    void cachedAndReasoningTokensFromOpenAiUsageAreBilledAtTheirRates() {
        // 1,200 prompt tokens of which 1,000 cached; 500 completion tokens of which 300 reasoning.
        Usage usage = Usage.fromOpenAi(1_200, 1_000, 500, 300, 1_700);
        long expectedScaled = 200 * 150_000L + 1_000 * 75_000L + 200 * 600_000L + 300 * 600_000L;
        assertThat(CostCalculator.costMicros(usage, GPT_4O_MINI)).isEqualTo((expectedScaled + 500_000) / 1_000_000);
    }

    @Test
    void worstCaseRoundsUpAndBoundsEveryCostWithinItsTokens() {
        assertThat(CostCalculator.worstCaseMicros(GPT_4O_MINI, 1, 0)).isEqualTo(1);
        assertThat(CostCalculator.worstCaseMicros(GPT_4O_MINI, 1_000_000, 16_384)).isEqualTo(150_000 + 9_831); // 9830.4 up
        ModelPrice anthropicLike = new ModelPrice("m", 3_000_000, 300_000L, 3_750_000L, 15_000_000, null);
        ModelPrice reasoningDearer = new ModelPrice("r", 1_000_000, null, null, 2_000_000, 5_000_000L);
        Random random = new Random(42);
        for (ModelPrice price : new ModelPrice[] {GPT_4O_MINI, anthropicLike, reasoningDearer}) {
            for (int i = 0; i < 2_000; i++) {
                long inputTokens = random.nextInt(200_000);
                long maxOutput = random.nextInt(64_000);
                long worst = CostCalculator.worstCaseMicros(price, inputTokens, maxOutput);
                long input = random.nextLong(inputTokens + 1);
                long cached = random.nextLong(inputTokens - input + 1);
                long cacheWrite = inputTokens - input - cached;
                long output = random.nextLong(maxOutput + 1);
                long reasoning = random.nextLong(maxOutput - output + 1);
                Usage usage = new Usage(input, cached, cacheWrite, output, reasoning);
                assertThat(CostCalculator.costMicros(usage, price)).as(usage + " at " + price).isLessThanOrEqualTo(worst);
            }
        }
    }

    @Test
    void negativeTokensAndOverflowAreErrorsNotBills() {
        assertThatThrownBy(() -> CostCalculator.costMicros(new Usage(-1, 0, 0, 0, 0), GPT_4O_MINI))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input tokens must be >= 0");
        assertThatThrownBy(() -> CostCalculator.worstCaseMicros(GPT_4O_MINI, 0, -5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("output tokens must be >= 0");
        assertThatThrownBy(() -> CostCalculator.costMicros(new Usage(Long.MAX_VALUE / 2, 0, 0, 0, 0), GPT_4O_MINI))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void aWorstCaseSaturatesInsteadOfOverflowing() {
        ModelPrice dear = new ModelPrice("dear", 1_000_000_000L, null, null, 4_000_000_000L, null);
        assertThat(CostCalculator.worstCaseMicros(dear, 0, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(CostCalculator.worstCaseMicros(GPT_4O_MINI, Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(CostCalculator.worstCaseMicros(GPT_4O_MINI, 0, 1_300_000_000_000L * 8)).isEqualTo(6_240_000_000_000L);
        // Just below saturation the division still rounds up.
        assertThat(CostCalculator.worstCaseMicros(new ModelPrice("one", 1, null, null, 1, null), 0, Long.MAX_VALUE - 1))
                .isEqualTo((Long.MAX_VALUE - 1) / 1_000_000 + 1);
    }

    private static ModelPrice flat(long ratePerMillion) {
        return new ModelPrice("flat", ratePerMillion, null, null, ratePerMillion * 4, null);
    }
}
