package io.slipway.controller.addons;

import io.slipway.controller.db.Database;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code addons} and {@code addon_attachments} tables. */
final class AddonStore {
    private static final String COLUMNS = "a.id, a.name, a.app_id, a.service, a.version, a.number, a.state, a.failure, "
            + "a.progress, a.attach_as, a.username, a.password, a.database, a.created_by, a.created_at";

    /** {@code addon} attached to {@code app} as {@code name}; {@code release} is the one that change cut. */
    record Attachment(UUID addonId, String addon, UUID appId, String app, String name, String release) {}

    private final Database db;

    AddonStore(Database db) {
        this.db = db;
    }

    Database db() {
        return db;
    }

    void insert(Connection c, Addon a) throws SQLException {
        try (var st = c.prepareStatement("""
                insert into addons (id, name, app_id, service, version, number, state, progress, attach_as, username,
                                    password, database, created_by)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            int i = 1;
            st.setObject(i++, a.id());
            st.setString(i++, a.name());
            st.setObject(i++, a.appId());
            st.setString(i++, a.service());
            st.setString(i++, a.version());
            st.setInt(i++, a.number());
            st.setString(i++, a.state().column());
            st.setString(i++, a.progress());
            st.setString(i++, a.attachAs());
            st.setString(i++, a.username());
            st.setString(i++, a.password());
            st.setString(i++, a.database());
            st.setString(i, a.createdBy());
            st.executeUpdate();
        }
    }

    /** One more than the highest number of this service among the app's add-ons. */
    int nextNumber(Connection c, UUID appId, String service) throws SQLException {
        try (var st = c.prepareStatement("select coalesce(max(number), 0) + 1 from addons where app_id = ? and service = ?")) {
            st.setObject(1, appId);
            st.setString(2, service);
            var rs = st.executeQuery();
            rs.next();
            return rs.getInt(1);
        }
    }

    Optional<Addon> find(String name) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("select " + COLUMNS + " from addons a where a.name = ?")) {
                st.setString(1, name);
                var rs = st.executeQuery();
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        });
    }

    Optional<Addon> find(UUID id) {
        return list("select " + COLUMNS + " from addons a where a.id = ?", id).stream().findFirst();
    }

    List<Addon> ownedBy(UUID appId) {
        return list("select " + COLUMNS + " from addons a where a.app_id = ? order by a.service, a.number", appId);
    }

    /** Add-ons attached to the app (its own and others'), each once, and its own unattached ones. */
    List<Addon> ofApp(UUID appId) {
        return list("select " + COLUMNS + " from addons a where a.app_id = ? or exists (select 1 from addon_attachments t "
                + "where t.addon_id = a.id and t.app_id = ?) order by a.service, a.created_at", appId, appId);
    }

    List<Addon> all() {
        return list("select " + COLUMNS + " from addons a order by a.created_at");
    }

    /** Add-ons whose owning app no longer exists (destroyed while the controller was down, or mid-cleanup). */
    List<Addon> orphans() {
        return list("select " + COLUMNS + " from addons a where not exists (select 1 from apps p where p.id = a.app_id)");
    }

    private List<Addon> list(String sql, Object... params) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    st.setObject(i + 1, params[i]);
                }
                var rs = st.executeQuery();
                List<Addon> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(read(rs));
                }
                return out;
            }
        });
    }

    void state(UUID id, Addon.State state, String failure) {
        update("update addons set state = ?, failure = ?, progress = null where id = ?", state.column(), failure, id);
    }

    void progress(UUID id, String text) {
        update("update addons set progress = ? where id = ? and state = 'creating'", text, id);
    }

    /** A ready add-on becomes destroying, saying why; false when it was not ready (another destroy got there first). */
    boolean beginDestroy(UUID id, String progress) {
        return update("update addons set state = 'destroying', progress = ? where id = ? and state = 'ready'", progress, id) == 1;
    }

    void delete(UUID id) {
        update("delete from addons where id = ?", id);
    }

    private int update(String sql, Object... params) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    st.setObject(i + 1, params[i]);
                }
                return st.executeUpdate();
            }
        });
    }

    List<Attachment> attachmentsOf(UUID addonId) {
        return db.inTransaction(c -> attachments(c, "t.addon_id = ?", addonId));
    }

    List<Attachment> attachmentsOn(UUID appId) {
        return db.inTransaction(c -> attachmentsOn(c, appId));
    }

    List<Attachment> attachmentsOn(Connection c, UUID appId) throws SQLException {
        return attachments(c, "t.app_id = ?", appId);
    }

    private static List<Attachment> attachments(Connection c, String where, UUID id) throws SQLException {
        try (var st = c.prepareStatement("select t.addon_id, a.name, t.app_id, p.name, t.name, t.release "
                + "from addon_attachments t join addons a on a.id = t.addon_id join apps p on p.id = t.app_id where " + where
                + " order by t.created_at, t.name")) {
            st.setObject(1, id);
            var rs = st.executeQuery();
            List<Attachment> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Attachment(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                        rs.getString(4), rs.getString(5), rs.getString(6)));
            }
            return out;
        }
    }

    void attach(Connection c, UUID addonId, UUID appId, String name) throws SQLException {
        try (var st = c.prepareStatement("insert into addon_attachments (addon_id, app_id, name) values (?, ?, ?)")) {
            st.setObject(1, addonId);
            st.setObject(2, appId);
            st.setString(3, name);
            st.executeUpdate();
        }
    }

    void detach(Connection c, UUID appId, String name) throws SQLException {
        try (var st = c.prepareStatement("delete from addon_attachments where app_id = ? and name = ?")) {
            st.setObject(1, appId);
            st.setString(2, name);
            st.executeUpdate();
        }
    }

    void release(UUID appId, String name, String release) {
        update("update addon_attachments set release = ? where app_id = ? and name = ?", release, appId, name);
    }

    private static Addon read(ResultSet rs) throws SQLException {
        return new Addon(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4),
                rs.getString(5), rs.getInt(6), Addon.State.valueOf(rs.getString(7).toUpperCase()), rs.getString(8),
                rs.getString(9), rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
                rs.getTimestamp(15).toInstant());
    }
}
