package db.migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Quartz's job-store tables (QRTZ_*), created from the DDL script that ships inside the Quartz jar,
 * so the schema always matches the Quartz version on the class path instead of a copy in this repo.
 * Flyway runs this in its transaction, so the script's own trailing {@code COMMIT} is dropped.
 */
public class V6__quartz_tables extends BaseJavaMigration {
    static final String SCRIPT = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement st = context.getConnection().createStatement()) {
            for (String sql : statements(script())) {
                st.execute(sql);
            }
        }
    }

    static String script() throws IOException {
        try (InputStream in = org.quartz.Scheduler.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException("the Quartz jar on the class path has no " + SCRIPT);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The script's statements: {@code --} comment lines removed, split on {@code ;}, without COMMIT. */
    static List<String> statements(String script) {
        StringBuilder text = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                text.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String part : text.toString().split(";")) {
            String sql = part.strip();
            if (!sql.isEmpty() && !sql.equalsIgnoreCase("commit")) {
                statements.add(sql);
            }
        }
        return statements;
    }
}
