package io.slipway.controller.domain;

import io.slipway.api.DomainView;
import io.slipway.controller.app.App;
import io.slipway.controller.db.Database;
import io.slipway.controller.db.UniqueViolationException;
import io.slipway.controller.http.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Custom host names an app answers to; the router hears each change through the database. */
public final class DomainService {
    private static final Logger log = LoggerFactory.getLogger(DomainService.class);
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private final Database db;
    private final String platformDomain;

    public DomainService(Database db, String platformDomain) {
        this.db = db;
        this.platformDomain = platformDomain;
    }

    public List<DomainView> list(App app) {
        return db.inTransaction(c -> {
            try (var st = c.prepareStatement("select hostname, created_at from domains where app_id = ? order by hostname")) {
                st.setObject(1, app.id());
                var rs = st.executeQuery();
                List<DomainView> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(custom(app, rs.getString(1), rs.getTimestamp(2).toInstant()));
                }
                return out;
            }
        });
    }

    /** The host name every app has, {@code <app>.<platform domain>} (Heroku's {@code kind: heroku}). */
    public DomainView defaultDomain(App app) {
        return new DomainView(defaultHost(app), app.createdAt(), "heroku", null, "none");
    }

    private DomainView custom(App app, String hostname, java.time.Instant createdAt) {
        return new DomainView(hostname, createdAt, "custom", defaultHost(app), "none");
    }

    private String defaultHost(App app) {
        return app.name() + "." + platformDomain;
    }

    public DomainView add(App app, String raw, String by) {
        String host = validate(raw);
        if (host.equals(platformDomain) || host.endsWith("." + platformDomain) && !host.equals(app.name() + "." + platformDomain)) {
            throw ApiException.conflict("'" + host + "' is under the platform's own domain " + platformDomain
                    + ", where every app already has <app>." + platformDomain);
        }
        try {
            DomainView added = db.inTransaction(c -> {
                try (var st = c.prepareStatement(
                        "insert into domains (app_id, hostname) values (?, ?) returning hostname, created_at")) {
                    st.setObject(1, app.id());
                    st.setString(2, host);
                    var rs = st.executeQuery();
                    rs.next();
                    return custom(app, rs.getString(1), rs.getTimestamp(2).toInstant());
                }
            });
            log.info("app={} domain {} added by {}", app.name(), host, by);
            return added;
        } catch (UniqueViolationException taken) {
            throw ApiException.conflict("'" + host + "' is already routed to an app; remove it there first");
        }
    }

    public void remove(App app, String raw, String by) {
        String host = raw.toLowerCase(Locale.ROOT);
        int removed = db.inTransaction(c -> {
            try (var st = c.prepareStatement("delete from domains where app_id = ? and hostname = ?")) {
                st.setObject(1, app.id());
                st.setString(2, host);
                return st.executeUpdate();
            }
        });
        if (removed == 0) {
            throw ApiException.notFound("app '" + app.name() + "' has no domain " + host + "; 'slipway domains' lists them");
        }
        log.info("app={} domain {} removed by {}", app.name(), host, by);
    }

    /**
     * A DNS host name: dot-separated labels of letters, digits and inner dashes, at most 253
     * characters, not an IP address.
     */
    static String validate(String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.invalid("a host name is required, e.g. www.example.com");
        }
        String host = raw.strip().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        String[] labels = host.split("\\.", -1);
        // A name whose last label is all digits is an address (1.2.3.4, or 0x7f.1 and 127.1 as resolvers
        // read them): requests to it carry no name to route by, and no top-level domain is numeric.
        if (host.indexOf(':') >= 0 || labels[labels.length - 1].matches("[0-9]+|0x[0-9a-f]*")) {
            throw ApiException.invalid("'" + raw + "' is an IP address; a custom domain must be a host name that "
                    + "points at the router, e.g. www.example.com");
        }
        boolean ok = host.length() <= 253 && labels.length >= 2;
        for (String l : labels) {
            ok &= LABEL.matcher(l).matches();
        }
        if (!ok) {
            throw ApiException.invalid("'" + raw + "' is not a valid host name: use labels of letters, digits and "
                    + "dashes separated by dots, e.g. www.example.com");
        }
        return host;
    }
}
