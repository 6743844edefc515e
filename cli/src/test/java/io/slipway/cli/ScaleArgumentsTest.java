package io.slipway.cli;

import io.slipway.api.FormationUpdate.Item;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The {@code TYPE=N[:SIZE]} arguments of {@code ps:scale}. */
class ScaleArgumentsTest {

    @Test
    void typeEqualsNumberScalesThatTypeAndLeavesTheSizeAlone() {
        assertThat(ScaleArguments.parse(List.of("web=3"))).containsExactly(new Item("web", 3, null));
    }

    @Test
    void aSizeAfterAColonIsPassedOn() {
        assertThat(ScaleArguments.parse(List.of("web=3:standard", "worker=1:performance")))
                .containsExactly(new Item("web", 3, "standard"), new Item("worker", 1, "performance"));
    }

    @Test
    void zeroIsAQuantity() {
        assertThat(ScaleArguments.parse(List.of("worker=0"))).containsExactly(new Item("worker", 0, null));
    }

    @Test
    void aNegativeNumberIsLeftForThePlatformToRefuse() {
        // The limits (not negative, a configurable maximum) are the platform's rule, written once there.
        assertThat(ScaleArguments.parse(List.of("web=-1"))).containsExactly(new Item("web", -1, null));
    }

    @Test
    void anUnknownSizeIsLeftForThePlatformToRefuse() {
        assertThat(ScaleArguments.parse(List.of("web=1:huge"))).containsExactly(new Item("web", 1, "huge"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "web         | 'web' is not TYPE=N or TYPE=N:SIZE",
            "=3          | '=3' is not TYPE=N or TYPE=N:SIZE",
            "web=        | 'web=': '' is not a number of dynos",
            "web=three   | 'web=three': 'three' is not a number of dynos",
            "web=1.5     | 'web=1.5': '1.5' is not a number of dynos",
            "web=3:      | 'web=3:' has an empty size after ':'",
            "web=9999999999 | '9999999999' is not a number of dynos",
    })
    void argumentsOfAnotherShapeAreRefusedByName(String argument, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> ScaleArguments.parse(List.of("worker=1", argument)))
                .withMessageContaining(message);
    }

    @Test
    void aTypeGivenTwiceIsRefusedRatherThanGuessed() {
        assertThatIllegalArgumentException().isThrownBy(() -> ScaleArguments.parse(List.of("web=1", "web=2")))
                .withMessage("web is given twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"web=3:standard:extra", "web:1=3"})
    void colonsOutOfPlaceAreRefused(String argument) {
        assertThatIllegalArgumentException().isThrownBy(() -> ScaleArguments.parse(List.of(argument)));
    }
}
