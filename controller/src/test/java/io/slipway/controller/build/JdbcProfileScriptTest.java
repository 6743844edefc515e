package io.slipway.controller.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Java buildpack's {@code .profile.d/jdbc.sh}, sourced by bash as a dyno does before its
 * command: which JDBC variables a {@code DATABASE_URL} gives an app.
 */
class JdbcProfileScriptTest {
    static final Path SCRIPT = Path.of("..", "buildpacks", "java", "lib", "jdbc.sh").toAbsolutePath().normalize();

    @Test
    void aPostgresUrlGivesTheJdbcUrlUserAndPassword() {
        Map<String, String> vars = source(Map.of("DATABASE_URL", "postgres://alice:pw@db.example:5432/shop"));

        assertThat(vars).containsEntry("JDBC_DATABASE_URL", "jdbc:postgresql://db.example:5432/shop?user=alice&password=pw")
                .containsEntry("JDBC_DATABASE_USERNAME", "alice")
                .containsEntry("JDBC_DATABASE_PASSWORD", "pw")
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://db.example:5432/shop?user=alice&password=pw")
                .containsEntry("SPRING_DATASOURCE_USERNAME", "alice")
                .containsEntry("SPRING_DATASOURCE_PASSWORD", "pw");
    }

    @Test
    void aPostgresqlUrlKeepsItsQueryParameters() {
        Map<String, String> vars = source(Map.of("DATABASE_URL",
                "postgresql://alice:pw@db.example:6543/shop?sslmode=require&connectTimeout=5"));

        assertThat(vars).containsEntry("JDBC_DATABASE_URL",
                "jdbc:postgresql://db.example:6543/shop?user=alice&password=pw&sslmode=require&connectTimeout=5");
    }

    @Test
    void anEncodedUserAndPasswordStayEncodedInTheUrlAndAreDecodedInTheirOwnVariables() {
        Map<String, String> vars = source(Map.of("DATABASE_URL", "postgres://a%40b:p%3A%2Fw%25rd@h/db"));

        assertThat(vars).containsEntry("JDBC_DATABASE_URL", "jdbc:postgresql://h/db?user=a%40b&password=p%3A%2Fw%25rd")
                .containsEntry("JDBC_DATABASE_USERNAME", "a@b")
                .containsEntry("JDBC_DATABASE_PASSWORD", "p:/w%rd");
    }

    @Test
    void aUrlWithoutCredentialsGivesAUrlWithoutThem() {
        Map<String, String> vars = source(Map.of("DATABASE_URL", "postgres://db.example/shop"));

        assertThat(vars).containsEntry("JDBC_DATABASE_URL", "jdbc:postgresql://db.example/shop")
                .containsEntry("JDBC_DATABASE_USERNAME", "").containsEntry("JDBC_DATABASE_PASSWORD", "");
    }

    @Test
    void aMysqlUrlGivesAMysqlJdbcUrl() {
        assertThat(source(Map.of("DATABASE_URL", "mysql://u:p@m:3306/app?reconnect=true")))
                .containsEntry("JDBC_DATABASE_URL", "jdbc:mysql://m:3306/app?user=u&password=p&reconnect=true");
    }

    @Test
    void variablesTheAppAlreadySetWin() {
        Map<String, String> vars = source(Map.of("DATABASE_URL", "postgres://u:p@h/db",
                "JDBC_DATABASE_URL", "jdbc:postgresql://mine/db", "SPRING_DATASOURCE_URL", "jdbc:postgresql://spring/db"));

        assertThat(vars).containsEntry("JDBC_DATABASE_URL", "jdbc:postgresql://mine/db")
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://spring/db");
    }

    @Test
    void springVariablesCanBeTurnedOff() {
        Map<String, String> vars = source(Map.of("DATABASE_URL", "postgres://u:p@h/db", "DISABLE_SPRING_DATASOURCE_URL", "true"));

        assertThat(vars).containsKey("JDBC_DATABASE_URL").doesNotContainKey("SPRING_DATASOURCE_URL");
    }

    @Test
    void noDatabaseUrlOrAnotherKindOfUrlSetsNothingAndLeavesNoFunctionsBehind() {
        assertThat(source(Map.of())).doesNotContainKey("JDBC_DATABASE_URL").doesNotContainKey("FUNCTIONS");
        assertThat(source(Map.of("DATABASE_URL", "redis://h:6379"))).doesNotContainKey("JDBC_DATABASE_URL");
    }

    /** Sources the script as a dyno's bash does; returns the JDBC and Spring variables, and FUNCTIONS if any remain. */
    private static Map<String, String> source(Map<String, String> env) {
        assertThat(SCRIPT).exists();
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c",
                    ". \"$1\"; env -0 | grep -zE '^(JDBC_DATABASE|SPRING_DATASOURCE)_'; f=$(declare -F); "
                            + "[ -n \"$f\" ] && printf 'FUNCTIONS=%s\\0' \"$f\"; exit 0", "dyno", SCRIPT.toString());
            pb.environment().keySet().removeIf(k -> k.startsWith("JDBC_") || k.startsWith("SPRING_") || k.equals("DATABASE_URL"));
            pb.environment().putAll(env);
            pb.redirectErrorStream(true);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            Map<String, String> vars = new LinkedHashMap<>();
            for (String kv : out.split("\0")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    vars.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            return vars;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
