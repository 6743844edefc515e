package io.slipway.controller.dyno;

import io.slipway.api.FormationUpdate;
import io.slipway.api.FormationView;
import io.slipway.controller.app.App;
import io.slipway.controller.db.Database;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.logs.LogSink;
import io.slipway.controller.release.Release;
import io.slipway.controller.release.ReleaseService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How many dynos of each process type an app runs ({@code ps:scale}). */
public final class FormationService {
    private static final Logger log = LoggerFactory.getLogger(FormationService.class);

    private final Database db;
    private final ReleaseService releases;
    private final int maxPerType;
    private final Capacity capacity;
    private volatile LogSink events = LogSink.NULL;

    public FormationService(Database db, ReleaseService releases, int maxPerType) {
        this(db, releases, maxPerType, Capacity.UNLIMITED);
    }

    public FormationService(Database db, ReleaseService releases, int maxPerType, Capacity capacity) {
        this.db = db;
        this.releases = releases;
        this.maxPerType = maxPerType;
        this.capacity = capacity;
    }

    /** Where "Scaled to web@3:standard by admin" goes: the app's log stream. */
    public void logTo(LogSink sink) {
        this.events = sink;
    }

    public List<FormationView> get(App app) {
        Release release = newest(app);
        Map<String, Integer> quantities = new HashMap<>();
        Map<String, String> sizes = new HashMap<>();
        db.inTransaction(c -> {
            try (var st = c.prepareStatement("select type, quantity, size from formation where app_id = ?")) {
                st.setObject(1, app.id());
                var rs = st.executeQuery();
                while (rs.next()) {
                    quantities.put(rs.getString(1), rs.getInt(2));
                    sizes.put(rs.getString(1), rs.getString(3));
                }
            }
            return null;
        });
        List<FormationView> out = new ArrayList<>();
        release.processTypes().forEach((type, command) -> {
            if (!type.equals("release")) {
                out.add(new FormationView(type, quantities.getOrDefault(type, type.equals("web") ? 1 : 0),
                        sizes.getOrDefault(type, DynoSize.STANDARD.label()), command));
            }
        });
        return out;
    }

    /** Validates the whole batch, then applies it in one transaction: all or nothing. */
    public List<FormationView> scale(App app, List<FormationUpdate.Item> updates, String by) {
        if (updates == null || updates.isEmpty()) {
            throw ApiException.invalid("nothing to scale: give at least one process type, e.g. web=2");
        }
        Release release = newest(app);
        for (FormationUpdate.Item u : updates) {
            if (u.type() == null || !release.processTypes().containsKey(u.type()) || u.type().equals("release")) {
                throw ApiException.invalid("unknown process type '" + u.type() + "'; " + app.name() + " has "
                        + String.join(", ", release.processTypes().keySet().stream().filter(t -> !t.equals("release")).toList()));
            }
            if (u.quantity() != null && (u.quantity() < 0 || u.quantity() > maxPerType)) {
                throw ApiException.invalid("cannot scale " + u.type() + " to " + u.quantity() + ": the quantity must be between 0 and "
                        + maxPerType + " (SLIPWAY_MAX_DYNOS_PER_TYPE)");
            }
            if (u.size() != null) {
                DynoSize.of(u.size());
            }
        }
        capacity.cannotHold(more(get(app), updates)).ifPresent(why -> {
            throw ApiException.conflict("cannot scale " + app.name() + ": " + why);
        });
        db.inTransaction(c -> {
            try (var st = c.prepareStatement("""
                    insert into formation (app_id, type, quantity, size) values (?, ?, ?, coalesce(?, 'standard'))
                    on conflict (app_id, type) do update set
                        quantity = coalesce(?, formation.quantity), size = coalesce(?, formation.size)""")) {
                for (FormationUpdate.Item u : updates) {
                    int fallback = u.type().equals("web") ? 1 : 0;
                    st.setObject(1, app.id());
                    st.setString(2, u.type());
                    st.setInt(3, u.quantity() == null ? fallback : u.quantity());
                    st.setString(4, u.size());
                    st.setObject(5, u.quantity());
                    st.setString(6, u.size());
                    st.addBatch();
                }
                st.executeBatch();
            }
            return null;
        });
        List<FormationView> now = get(app);
        String scaled = String.join(", ", now.stream().map(f -> f.type() + "@" + f.quantity() + ":" + f.size()).toList());
        log.info("app={} Scaled to {} by {}", app.name(), scaled, by);
        events.event(app.name().value(), "api", "Scaled to " + scaled + " by " + by);
        return now;
    }

    /** The dynos a scale adds, by size: a type whose size changes gets all its dynos anew. */
    static Map<DynoSize, Integer> more(List<FormationView> current, List<FormationUpdate.Item> updates) {
        Map<DynoSize, Integer> more = new java.util.EnumMap<>(DynoSize.class);
        for (FormationUpdate.Item u : updates) {
            FormationView was = current.stream().filter(f -> f.type().equals(u.type())).findFirst().orElse(null);
            int oldQty = was == null ? 0 : was.quantity();
            String oldSize = was == null ? DynoSize.STANDARD.label() : was.size();
            int newQty = u.quantity() == null ? oldQty : u.quantity();
            String newSize = u.size() == null ? oldSize : u.size();
            int added = newSize.equals(oldSize) ? newQty - oldQty : newQty;
            if (added > 0) {
                more.merge(DynoSize.of(newSize), added, Integer::sum);
            }
        }
        return more;
    }

    private Release newest(App app) {
        return releases.newestNotFailed(app)
                .orElseThrow(() -> ApiException.invalid("app '" + app.name() + "' has no release yet: git push to deploy it first"));
    }
}
