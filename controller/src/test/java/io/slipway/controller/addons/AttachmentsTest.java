package io.slipway.controller.addons;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.slipway.controller.http.ApiException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The naming rules of attachments, without Docker or a database. */
class AttachmentsTest {
    @Test
    void theFirstOfAServiceTakesItsDefaultAndAFurtherOneItsNumber() {
        assertThat(Attachments.defaultName(Service.POSTGRES, 1, List.of())).isEqualTo("DATABASE");
        assertThat(Attachments.defaultName(Service.POSTGRES, 2, List.of("DATABASE"))).isEqualTo("POSTGRES_2");
        assertThat(Attachments.defaultName(Service.REDIS, 1, List.of("DATABASE"))).isEqualTo("REDIS");
        assertThat(Attachments.configVar("ANALYTICS_DATABASE")).isEqualTo("ANALYTICS_DATABASE_URL");
    }

    @Test
    void aNameIsCapitalsDigitsAndUnderscoresAndNotTheVarItself() {
        assertThat(Attachments.validate(" ANALYTICS_DATABASE ")).isEqualTo("ANALYTICS_DATABASE");
        assertThatThrownBy(() -> Attachments.validate("analytics")).isInstanceOf(ApiException.class)
                .hasMessageContaining("is not an attachment name");
        assertThatThrownBy(() -> Attachments.validate("2DB")).hasMessageContaining("starting with a letter");
        assertThatThrownBy(() -> Attachments.validate("ANALYTICS_URL"))
                .hasMessageContaining("use --as ANALYTICS");
    }

    @Test
    void aVarAlreadySetIsRefusedSayingWhoSetItAndWhatToDo() {
        assertThatThrownBy(() -> Attachments.checkFree("shop", "DATABASE", Map.of("DATABASE_URL", "x"), Map.of()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409))
                .hasMessage("DATABASE_URL is already set on shop (not by an add-on); pick another name with --as NAME, "
                        + "or remove it first: slipway config:unset DATABASE_URL -a shop");
        assertThatThrownBy(() -> Attachments.checkFree("shop", "DATABASE", Map.of("DATABASE_URL", "x"),
                Map.of("DATABASE", "postgres-shop-1")))
                .hasMessageContaining("DATABASE_URL on shop comes from postgres-shop-1")
                .hasMessageContaining("slipway addons:detach DATABASE -a shop");
        Attachments.checkFree("shop", "REDIS", Map.of("DATABASE_URL", "x"), Map.of("DATABASE", "postgres-shop-1"));
    }

    @Test
    void unknownServicesAndVersionsSayWhatThereIs() {
        assertThatThrownBy(() -> Service.named("mysql")).hasMessage("unknown service 'mysql'; Slipway offers postgres (15), redis (7)");
        assertThatThrownBy(() -> Service.named(null)).hasMessageContaining("say which service");
        assertThat(Service.POSTGRES.version(null)).isEqualTo("15");
        assertThatThrownBy(() -> Service.REDIS.version("6")).hasMessage("unknown redis version '6'; available: 7");
    }
}
