package io.slipway.controller.git;

import io.slipway.controller.db.Database;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.eclipse.jgit.lib.ObjectId;

/**
 * Each app's git repository as PostgreSQL stores it, the truth that every controller's disk only
 * caches: an ordered log of bundles ({@code git_bundles}), each with the refs the repository has
 * once it is applied. Appends happen only under the app's {@link PushLocks push lock}.
 */
public final class RepositoryLog {
    /** One stored bundle, without its bytes: its place in the log and the refs after it. */
    public record Entry(long seq, Map<String, ObjectId> refs) {
        public Entry {
            refs = Collections.unmodifiableMap(new TreeMap<>(refs));
        }
    }

    /** Reads one bundle's bytes. */
    @FunctionalInterface
    public interface BundleReader {
        void read(InputStream bundle) throws IOException;
    }

    private final Database db;

    public RepositoryLog(Database db) {
        this.db = db;
    }

    /** The newest entry: the stored refs (empty before the app's first push). */
    public Optional<Entry> last(UUID app) {
        List<Entry> last = entries("select seq, refs from git_bundles where app_id = ? order by seq desc limit 1", app, null);
        return last.stream().findFirst();
    }

    /** The entries after {@code seq}, oldest first: what a cache that applied up to {@code seq} has yet to apply. */
    public List<Entry> after(UUID app, long seq) {
        return entries("select seq, refs from git_bundles where app_id = ? and seq > ? order by seq", app, seq);
    }

    /** Hands entry {@code seq}'s bundle to {@code reader}; false when the entry is gone (compacted away meanwhile). */
    public boolean read(UUID app, long seq, BundleReader reader) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("select bundle from git_bundles where app_id = ? and seq = ?")) {
                st.setObject(1, app);
                st.setLong(2, seq);
                var rs = st.executeQuery();
                if (!rs.next()) {
                    return false;
                }
                try (InputStream in = rs.getBinaryStream(1)) {
                    reader.read(in);
                } catch (IOException e) {
                    throw new UncheckedIOException("app_id=" + app + " bundle " + seq + ": " + e.getMessage(), e);
                }
                return true;
            }
        });
    }

    /**
     * Appends the bundle in {@code file} as the entry after {@code previous} (0 for the first) and
     * returns its number. A {@code full} bundle replaces the entries before it, in the same transaction.
     */
    public long append(UUID app, long previous, Map<String, ObjectId> refs, Path file, boolean full) {
        long seq = previous + 1;
        db.inTransaction(c -> {
            if (full) {
                try (var st = c.prepareStatement("delete from git_bundles where app_id = ? and seq <= ?")) {
                    st.setObject(1, app);
                    st.setLong(2, previous);
                    st.executeUpdate();
                }
            }
            insert(c, app, seq, refs, file);
            return null;
        });
        return seq;
    }

    /** Bytes the stored repository takes: {@code apps:info}'s repo size (0 before the first push). */
    public long size(UUID app) {
        return number("select coalesce(sum(octet_length(bundle)), 0) from git_bundles where app_id = ?", app);
    }

    /** How many entries the app's log holds. */
    public long count(UUID app) {
        return number("select count(*) from git_bundles where app_id = ?", app);
    }

    private static void insert(Connection c, UUID app, long seq, Map<String, ObjectId> refs, Path file) throws SQLException {
        try (var st = c.prepareStatement("insert into git_bundles (app_id, seq, refs, bundle) values (?, ?, ?, ?)");
             InputStream in = Files.newInputStream(file)) {
            st.setObject(1, app);
            st.setLong(2, seq);
            st.setString(3, format(refs));
            st.setBinaryStream(4, in, Files.size(file));
            st.executeUpdate();
        } catch (IOException e) {
            throw new UncheckedIOException("app_id=" + app + " bundle " + seq + " unreadable at " + file + ": " + e.getMessage(), e);
        }
    }

    private List<Entry> entries(String sql, UUID app, Long after) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement(sql)) {
                st.setObject(1, app);
                if (after != null) {
                    st.setLong(2, after);
                }
                var rs = st.executeQuery();
                List<Entry> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Entry(rs.getLong(1), parse(rs.getString(2))));
                }
                return out;
            }
        });
    }

    private long number(String sql, UUID app) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement(sql)) {
                st.setObject(1, app);
                var rs = st.executeQuery();
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    static String format(Map<String, ObjectId> refs) {
        StringBuilder s = new StringBuilder();
        new TreeMap<>(refs).forEach((name, id) -> s.append(id.name()).append(' ').append(name).append('\n'));
        return s.toString();
    }

    static Map<String, ObjectId> parse(String text) {
        Map<String, ObjectId> refs = new TreeMap<>();
        text.lines().filter(l -> !l.isBlank()).forEach(l -> {
            int space = l.indexOf(' ');
            refs.put(l.substring(space + 1), ObjectId.fromString(l.substring(0, space)));
        });
        return refs;
    }
}
