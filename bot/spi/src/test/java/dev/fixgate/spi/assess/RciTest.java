package dev.fixgate.spi.assess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RciTest {

    @Test
    void aReasonCanRaiseTheLevelButNeverLowerIt() {
        Rci rci = Rci.initial()
                .with(new RciReason("enrich", "prod", "tagged Environment=prod", RciLevel.RISKY), 0.9)
                .with(new RciReason("assess", "unused", "no requests in 30 days", RciLevel.SAFE), 1.0);

        assertThat(rci.level()).isEqualTo(RciLevel.RISKY);
        assertThat(rci.confidence()).isEqualTo(0.9);
        assertThat(rci.reasons()).extracting(RciReason::code).containsExactly("prod", "unused");
    }

    @Test
    void aLevelLessCarefulThanItsReasonsIsRejected() {
        var unsafe = new RciReason("enrich", "in-use", "public website", RciLevel.UNSAFE);
        assertThatThrownBy(() -> new Rci(RciLevel.SAFE, 1.0, List.of(unsafe)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("less careful");
    }

    @Test
    void confidenceStaysWithinZeroAndOne() {
        assertThatThrownBy(() -> new Rci(RciLevel.SAFE, 1.5, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rci(RciLevel.SAFE, Double.NaN, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rci.initial().with(new RciReason("a", "b", "c", RciLevel.SAFE), 2.0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
