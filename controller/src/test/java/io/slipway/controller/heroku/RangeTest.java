package io.slipway.controller.heroku;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.Json;
import io.slipway.controller.http.ApiException;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Heroku's Range header as the Heroku CLI sends it, applied to a list without a server. */
class RangeTest {
    private static final Set<String> FIELDS = Set.of("version", "id");
    /** Releases v1..v12 in the order a store might give them. */
    private static final List<JsonNode> RELEASES = IntStream.of(3, 1, 12, 2, 10, 11, 4, 5, 6, 7, 8, 9)
            .mapToObj(v -> (JsonNode) Json.mapper().createObjectNode().put("version", v)).toList();

    private static List<Integer> versions(Range.Page page) {
        return page.items().stream().map(n -> n.get("version").asInt()).toList();
    }

    @Test
    void theLatestTenAsHerokuReleasesAsksThemWithTheRestLeftForTheNextRange() {
        Range.Page page = Range.parse("version ..; max=10, order=desc", FIELDS).apply(RELEASES);
        assertThat(versions(page)).containsExactly(12, 11, 10, 9, 8, 7, 6, 5, 4, 3);
        assertThat(page.partial()).isTrue();
        assertThat(page.nextRange()).isEqualTo("version ]3..; max=10, order=desc");
        assertThat(page.contentRange()).isEqualTo("version 12..3");

        Range.Page next = Range.parse(page.nextRange(), FIELDS).apply(RELEASES);
        assertThat(versions(next)).containsExactly(2, 1);
        assertThat(next.partial()).isFalse();
    }

    @Test
    void versionsSortAsNumbersAndASpaceLessParameterListParses() {
        // config:set asks for the latest release like this
        assertThat(versions(Range.parse("version ..; order=desc,max=1", FIELDS).apply(RELEASES))).containsExactly(12);
        assertThat(versions(Range.parse("version 9..11", FIELDS).apply(RELEASES))).containsExactly(9, 10, 11);
    }

    @Test
    void thePaginatorsIdRangeWithItsTrailingSemicolonTakesEverythingThatFits() {
        Range.Page all = Range.parse("id ..; max=200;", FIELDS).by("version").apply(RELEASES);
        assertThat(versions(all)).hasSize(12).startsWith(1, 2, 3);
        assertThat(all.partial()).isFalse();
    }

    @Test
    void aRangeThatCannotBeMetIsA416SayingWhy() {
        assertThatThrownBy(() -> Range.parse("name ..", FIELDS)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(416);
            assertThat(e.getMessage()).contains("'name' is not a field this list is sorted by; use one of id, version");
        });
        assertThatThrownBy(() -> Range.parse("version ..; max=5000", FIELDS)).hasMessageContaining("max is a number from 1 to 1000, not '5000'");
        assertThatThrownBy(() -> Range.parse("version ..; order=sideways", FIELDS)).hasMessageContaining("order is asc or desc");
        assertThatThrownBy(() -> Range.parse("version 5", FIELDS)).hasMessageContaining("has no '..'");
        assertThatThrownBy(() -> Range.parse("version ..; limit=3", FIELDS)).hasMessageContaining("'limit' is not a range parameter");
        assertThatThrownBy(() -> Range.parse("version abc..", FIELDS).apply(RELEASES)).hasMessageContaining("version is a number here, not 'abc'");
    }
}
