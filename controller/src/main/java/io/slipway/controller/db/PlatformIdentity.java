package io.slipway.controller.db;

/** This platform's identity, shared by every controller on the same database. */
public record PlatformIdentity(String id) {

    public static PlatformIdentity load(Database db) {
        return db.inTransaction(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("select id::text from platform")) {
                rs.next();
                return new PlatformIdentity(rs.getString(1));
            }
        });
    }

    /** Eight hex characters: enough to tell platforms on one engine apart, short enough for names. */
    public String shortId() {
        return id.replace("-", "").substring(0, 8);
    }
}
