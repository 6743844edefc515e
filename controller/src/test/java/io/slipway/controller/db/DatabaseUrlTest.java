package io.slipway.controller.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseUrlTest {
    @Test
    void herokuStyleUrlsBecomeJdbcWithCredentialsApart() {
        DatabaseUrl url = DatabaseUrl.parse("postgres://slip%40way:s3cr%3At@db.internal:6543/state?sslmode=require");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/state?sslmode=require");
        assertThat(url.user()).isEqualTo("slip@way");
        assertThat(url.password()).isEqualTo("s3cr:t");
    }

    @Test
    void thePasswordNeverAppearsWhenTheUrlIsLogged() {
        DatabaseUrl url = DatabaseUrl.parse("postgresql://u:hunter2@h/db");
        assertThat(url.toString()).doesNotContain("hunter2");
        assertThat(url.describe()).doesNotContain("hunter2").contains("jdbc:postgresql://h/db");
    }

    @Test
    void somethingElseIsRefusedWithTheExpectedShape() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://u:p@h/db"))
                .hasMessageContaining("postgres://user:password@host:5432/dbname");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u:p@h"))
                .hasMessageContaining("database name");
    }
}
