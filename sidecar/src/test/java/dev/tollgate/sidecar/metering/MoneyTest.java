package dev.tollgate.sidecar.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void parsesDecimalUsdIntoMicroDollarsExactly() {
        assertThat(Money.parseUsd("12.50")).isEqualTo(12_500_000);
        assertThat(Money.parseUsd("0.075")).isEqualTo(75_000);
        assertThat(Money.parseUsd("0.000001")).isEqualTo(1);
        assertThat(Money.parseUsd(" 3 ")).isEqualTo(3_000_000);
    }

    @Test
    void refusesWhatIsNotAnAmountOrFinerThanAMicroDollar() {
        assertThatThrownBy(() -> Money.parseUsd("-1")).hasMessageContaining("is not a USD amount");
        assertThatThrownBy(() -> Money.parseUsd("1e3")).hasMessageContaining("is not a USD amount");
        assertThatThrownBy(() -> Money.parseUsd("$5")).hasMessageContaining("is not a USD amount");
        assertThatThrownBy(() -> Money.parseUsd(null)).hasMessageContaining("is not a USD amount");
        assertThatThrownBy(() -> Money.parseUsd("0.0000001")).hasMessageContaining("more than 6 decimal places");
    }

    @Test
    void formatsWithAtLeastTwoDecimals() {
        assertThat(Money.formatUsd(12_500_000)).isEqualTo("12.50");
        assertThat(Money.formatUsd(0)).isEqualTo("0.00");
        assertThat(Money.formatUsd(150)).isEqualTo("0.00015");
        assertThat(Money.formatUsd(Money.parseUsd("50.00"))).isEqualTo("50.00");
    }
}
