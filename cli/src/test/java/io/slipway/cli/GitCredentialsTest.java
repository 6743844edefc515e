package io.slipway.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Git's credential-helper protocol, as {@code git:credential} speaks it. */
class GitCredentialsTest {

    @Test
    void aRequestIsKeyValueLinesUpToTheBlankLine() {
        Map<String, String> request = GitCredentials.read(input(
                "protocol=http\nhost=127.0.0.1:5050\nusername=slipway\n\nprotocol=ignored\n"));
        assertThat(request).containsExactly(entry("protocol", "http"), entry("host", "127.0.0.1:5050"),
                entry("username", "slipway"));
    }

    @Test
    void aRequestEndsAtTheEndOfInputToo() {
        assertThat(GitCredentials.read(input("protocol=https\nhost=paas.example.com")))
                .containsExactly(entry("protocol", "https"), entry("host", "paas.example.com"));
    }

    @Test
    void valuesKeepEqualsSignsAndUnknownOrRepeatedKeysDoNotBreakTheRequest() {
        Map<String, String> request = GitCredentials.read(input(
                "capability[]=authtype\ncapability[]=state\nwwwauth[]=Basic realm=\"slipway\"\nprotocol=http\n"
                        + "host=h:1\npath=git/shop.git\nnot a pair\n\n"));
        assertThat(request).containsEntry("wwwauth[]", "Basic realm=\"slipway\"").containsEntry("host", "h:1")
                .containsEntry("capability[]", "state");
    }

    @ParameterizedTest
    @CsvSource({
            "http,  127.0.0.1:5050,      http://127.0.0.1:5050",
            "http,  127.0.0.1:5050,      http://127.0.0.1:5050/",
            "HTTP,  LOCALHOST:5050,      http://localhost:5050",
            "https, paas.example.com,    https://paas.example.com",
            "https, paas.example.com:443, https://paas.example.com",
            "http,  paas.example.com,    http://paas.example.com:80",
            "http,  '[::1]:5050',        'http://[::1]:5050'",
            "https, paas.example.com,    https://paas.example.com/api",
    })
    void theHelperAnswersForThePlatformsOwnOrigin(String protocol, String host, String apiUrl) {
        assertThat(GitCredentials.isFor(Map.of("protocol", protocol, "host", host), apiUrl)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            "https, 127.0.0.1:5050,   http://127.0.0.1:5050",
            "http,  127.0.0.1:5051,   http://127.0.0.1:5050",
            "http,  127.0.0.1,        http://127.0.0.1:5050",
            "http,  github.com,       http://127.0.0.1:5050",
            "http,  127.0.0.1.evil.example:5050, http://127.0.0.1:5050",
            "https, paas.example.com:8443, https://paas.example.com",
            "http,  '[::1]:5050',     http://127.0.0.1:5050",
            "ssh,   127.0.0.1:5050,   http://127.0.0.1:5050",
    })
    void theHelperGivesNothingToAnyOtherOrigin(String protocol, String host, String apiUrl) {
        assertThat(GitCredentials.isFor(Map.of("protocol", protocol, "host", host), apiUrl)).isFalse();
    }

    @Test
    void aRequestWithoutProtocolOrHostIsForNobody() {
        assertThat(GitCredentials.isFor(Map.of("host", "127.0.0.1:5050"), "http://127.0.0.1:5050")).isFalse();
        assertThat(GitCredentials.isFor(Map.of("protocol", "http"), "http://127.0.0.1:5050")).isFalse();
        assertThat(GitCredentials.isFor(Map.of(), "http://127.0.0.1:5050")).isFalse();
    }

    @Test
    void theAnswerIsTheSlipwayUserWithTheTokenAsPassword() {
        assertThat(GitCredentials.answer("tok-123")).isEqualTo("username=slipway\npassword=tok-123\n");
    }

    @Test
    void aTokenThatWouldBreakTheProtocolIsNotSent() {
        assertThat(GitCredentials.answer("tok\nusername=evil")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "http://127.0.0.1:5050/git/shop.git,           http://127.0.0.1:5050",
            "https://paas.example.com/git/shop.git,        https://paas.example.com",
            "HTTP://user:pw@Host.example:8080/x/git/a.git, http://Host.example:8080",
            "'http://[::1]:5050/git/shop.git',             'http://[::1]:5050'",
    })
    void theCredentialKeyIsTheGitUrlsSchemeHostAndPort(String gitUrl, String base) {
        assertThat(GitCredentials.base(gitUrl)).contains(base);
    }

    @Test
    void aGitUrlThatIsNotHttpHasNoCredentialKey() {
        assertThat(GitCredentials.base("git@host:shop.git")).isEmpty();
        assertThat(GitCredentials.base("file:///srv/shop.git")).isEmpty();
    }

    private static InputStream input(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
