package io.slipway.controller.app;

import io.slipway.controller.db.Database;
import io.slipway.controller.db.UniqueViolationException;
import io.slipway.controller.http.ApiException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creating, finding and destroying apps. */
public final class AppService {
    private static final Logger log = LoggerFactory.getLogger(AppService.class);

    private final Database db;
    private final NameGenerator names = new NameGenerator(new SecureRandom());
    private final List<java.util.function.Consumer<App>> onDestroy = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final List<java.util.function.Consumer<App>> beforeRename = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.util.function.BiConsumer<App, App>> onRename = new java.util.concurrent.CopyOnWriteArrayList<>();

    public AppService(Database db) {
        this.db = db;
    }

    /** Creates an app; with no name, a generated one that is free. */
    public App create(Optional<AppName> requested, String by) {
        if (requested.isPresent()) {
            return insert(requested.get(), by).orElseThrow(() -> ApiException.conflict(
                    "app name '" + requested.get() + "' is already taken; choose another"));
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            Optional<App> created = insert(names.next(), by);
            if (created.isPresent()) {
                return created.get();
            }
        }
        throw new IllegalStateException("could not find a free generated app name in 20 attempts");
    }

    /** Runs after an app's rows are gone, to remove what lives outside the database (repo, images). */
    public void onDestroy(java.util.function.Consumer<App> cleanup) {
        onDestroy.add(cleanup);
    }

    public List<App> list() {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("select id, name, created_at, updated_at from apps order by name")) {
                var rs = st.executeQuery();
                List<App> apps = new ArrayList<>();
                while (rs.next()) {
                    apps.add(read(rs));
                }
                return apps;
            }
        });
    }

    /** The app by name (or id, as Heroku's API allows); 404 when there is none. */
    public App get(String nameOrId) {
        return find(nameOrId).orElseThrow(() -> ApiException.notFound(
                "app '" + nameOrId + "' does not exist; 'slipway apps' lists yours"));
    }

    public Optional<App> find(String nameOrId) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement(
                    "select id, name, created_at, updated_at from apps where name = ? or id::text = ?")) {
                st.setString(1, nameOrId);
                st.setString(2, nameOrId);
                var rs = st.executeQuery();
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        });
    }

    /** Deletes the app and everything stored for it (config vars, their history). */
    public App destroy(String nameOrId, String by) {
        App app = get(nameOrId);
        db.inTransaction(c -> {
            try (var st = c.prepareStatement("delete from apps where id = ?")) {
                st.setObject(1, app.id());
                return st.executeUpdate();
            }
        });
        log.info("app={} destroyed by {}", app.name(), by);
        for (var cleanup : onDestroy) {
            try {
                cleanup.accept(app);
            } catch (RuntimeException e) {
                log.warn("app={} cleanup after destroy failed: {}", app.name(), e.getMessage());
            }
        }
        return app;
    }

    /**
     * Renames an app (Heroku's {@code PATCH /apps/{app}} with a {@code name}); a taken name is a 409.
     * The router hears both names at once; the {@link #onRename} hooks then move what lives outside
     * the database under the new name (the running dynos, the logs).
     */
    public App rename(String nameOrId, AppName to, String by) {
        App app = get(nameOrId);
        if (app.name().equals(to)) {
            return app;
        }
        for (var check : beforeRename) {
            check.accept(app);
        }
        App renamed;
        try {
            renamed = db.inTransaction(c -> {
                try (var st = c.prepareStatement("update apps set name = ?, updated_at = now() where id = ? "
                        + "returning id, name, created_at, updated_at")) {
                    st.setString(1, to.value());
                    st.setObject(2, app.id());
                    var rs = st.executeQuery();
                    rs.next();
                    App row = read(rs);
                    // The apps trigger speaks only on insert and delete: the router must drop the old name and learn the new.
                    try (var notify = c.prepareStatement("select pg_notify('slipway_routes', ?), pg_notify('slipway_routes', ?)")) {
                        notify.setString(1, app.name().value());
                        notify.setString(2, to.value());
                        notify.execute();
                    }
                    return row;
                }
            });
        } catch (UniqueViolationException taken) {
            throw ApiException.conflict("app name '" + to + "' is already taken; choose another");
        }
        log.info("app={} renamed to {} by {}", app.name(), to, by);
        for (var hook : onRename) {
            try {
                hook.accept(app, renamed);
            } catch (RuntimeException e) {
                log.warn("app={} moving to its new name {} failed: {}", app.name(), to, e.getMessage());
            }
        }
        return renamed;
    }

    /** Runs before a rename and may refuse it with an {@link ApiException} (e.g. the app has add-ons). */
    public void beforeRename(java.util.function.Consumer<App> check) {
        beforeRename.add(check);
    }

    /** Runs after a rename with the app as it was and as it is now. */
    public void onRename(java.util.function.BiConsumer<App, App> hook) {
        onRename.add(hook);
    }

    private Optional<App> insert(AppName name, String by) {
        try {
            App app = db.inTransaction(c -> {
                try (var st = c.prepareStatement(
                        "insert into apps (name) values (?) returning id, name, created_at, updated_at")) {
                    st.setString(1, name.value());
                    var rs = st.executeQuery();
                    rs.next();
                    return read(rs);
                }
            });
            log.info("app={} created by {}", app.name(), by);
            return Optional.of(app);
        } catch (UniqueViolationException taken) {
            return Optional.empty();
        }
    }

    private static App read(ResultSet rs) throws SQLException {
        return new App(rs.getObject("id", UUID.class), new AppName(rs.getString("name")),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
