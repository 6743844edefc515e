package io.slipway.controller.addons;

import io.slipway.api.PgInfoView;
import io.slipway.api.PsqlRequest;
import io.slipway.controller.app.App;
import io.slipway.controller.docker.RawAttach;
import io.slipway.controller.http.ApiException;
import io.slipway.controller.run.Attached;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code pg:psql} and {@code pg:info}: the app's PostgreSQL add-ons reached through the engine
 * ({@code docker exec} into the server's container, as its user over the local socket), never
 * through a port opened to the host. An interactive psql is an {@link Attached} session, so it
 * travels over the same WebSocket transport as {@code slipway run}.
 */
public final class Psql {
    private static final String INFO_QUERY = "select current_setting('server_version'), pg_database_size(current_database()), "
            + "(select count(*) from pg_stat_activity where datname = current_database()), "
            + "(select count(*) from pg_stat_user_tables)";

    private final AddonStore store;
    private final AddonContainers containers;

    Psql(AddonStore store, AddonContainers containers) {
        this.store = store;
        this.containers = containers;
    }

    /** The app's PostgreSQL add-ons, each with the names it is attached under there, in attachment order. */
    private Map<Addon, List<String>> postgresOf(App app) {
        Map<String, Addon> byName = new LinkedHashMap<>();
        store.ofApp(app.id()).stream().filter(a -> a.service().equals(Service.POSTGRES.name()))
                .forEach(a -> byName.put(a.name(), a));
        Map<Addon, List<String>> out = new LinkedHashMap<>();
        byName.values().forEach(a -> out.put(a, new ArrayList<>()));
        for (var t : store.attachmentsOn(app.id())) {
            Addon a = byName.get(t.addon());
            if (a != null) {
                out.get(a).add(t.name());
            }
        }
        if (out.isEmpty()) {
            throw ApiException.notFound(app.name() + " has no PostgreSQL add-on; create one: slipway addons:create postgres -a "
                    + app.name());
        }
        return out;
    }

    /** The add-on {@code database} names on the app (its name or an attachment name), DATABASE's when null. */
    Addon resolve(App app, String database) {
        Map<Addon, List<String>> all = postgresOf(app);
        if (database == null || database.isBlank()) {
            return all.entrySet().stream().filter(e -> e.getValue().contains("DATABASE")).map(Map.Entry::getKey).findFirst()
                    .or(() -> all.size() == 1 ? all.keySet().stream().findFirst() : java.util.Optional.empty())
                    .orElseThrow(() -> ApiException.invalid(app.name() + " has several PostgreSQL add-ons and none is DATABASE; "
                            + "say which: " + describe(all)));
        }
        String wanted = database.endsWith("_URL") ? database.substring(0, database.length() - 4) : database;
        return all.entrySet().stream().filter(e -> e.getKey().name().equals(wanted) || e.getValue().contains(wanted))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> ApiException.notFound("no PostgreSQL add-on '" + database + "' on " + app.name()
                        + "; there: " + describe(all)));
    }

    private static String describe(Map<Addon, List<String>> all) {
        return all.entrySet().stream().map(e -> e.getKey().name() + (e.getValue().isEmpty() ? "" : " (" + String.join(", ", e.getValue()) + ")"))
                .collect(Collectors.joining(", "));
    }

    /** {@code pg:info}: what each PostgreSQL server of the app says about its database. */
    public List<PgInfoView> info(App app, AddonService service) {
        List<PgInfoView> out = new ArrayList<>();
        for (var e : postgresOf(app).entrySet()) {
            Addon a = e.getKey();
            String state = service.view(a, false).state();
            if (!state.equals("available")) {
                out.add(new PgInfoView(a.name(), e.getValue(), state, null, null, null, null));
                continue;
            }
            var r = containers.exec(a, List.of("psql", "-XAtq", "-F", "|", "-c", INFO_QUERY), Duration.ofSeconds(10));
            String[] f = r.stdout().strip().split("\\|");
            if (r.exitCode() != 0 || f.length != 4) {
                out.add(new PgInfoView(a.name(), e.getValue(), "unreadable: " + r.stderr().strip(), null, null, null, null));
                continue;
            }
            out.add(new PgInfoView(a.name(), e.getValue(), state, f[0], Long.parseLong(f[1]), Integer.parseInt(f[2]),
                    Integer.parseInt(f[3])));
        }
        return out;
    }

    /** Starts {@code pg:psql} from its request: an exec of psql in the add-on's container. */
    Attached start(App app, PsqlRequest request) {
        Addon addon = resolve(app, request.database());
        if (containers.find(addon).map(o -> !o.running()).orElse(true)) {
            throw ApiException.conflict(addon.name() + " is not running (" + addon.state().column()
                    + "); 'slipway addons:info " + addon.name() + "' says why");
        }
        boolean tty = Boolean.TRUE.equals(request.tty());
        List<String> command = new ArrayList<>(List.of("psql", "-v", "ON_ERROR_STOP=1"));
        if (request.command() != null) {
            command.addAll(List.of("-c", request.command()));
        }
        List<String> env = new ArrayList<>();
        if (request.columns() != null && request.lines() != null) {
            env.add("COLUMNS=" + request.columns());
            env.add("LINES=" + request.lines());
        }
        var docker = containers.docker();
        String exec = docker.client().execCreateCmd(containers.containerName(addon)).withAttachStdin(true)
                .withAttachStdout(true).withAttachStderr(true).withTty(tty).withEnv(env)
                .withCmd(command.toArray(String[]::new)).exec().getId();
        return new Attached() {
            private volatile RawAttach attach;

            @Override
            public String name() {
                return addon.name();
            }

            @Override
            public boolean tty() {
                return tty;
            }

            @Override
            public boolean passesEndOfInput() {
                return !tty;
            }

            @Override
            public RawAttach attach() throws IOException {
                attach = RawAttach.startExec(docker.host(), exec, tty);
                return attach;
            }

            @Override
            public void start() {
                // an exec starts by being attached
            }

            @Override
            public int awaitExit() {
                while (true) {
                    var inspected = docker.client().inspectExecCmd(exec).exec();
                    if (!Boolean.TRUE.equals(inspected.isRunning()) && inspected.getExitCodeLong() != null) {
                        return inspected.getExitCodeLong().intValue();
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return 130;
                    }
                }
            }

            @Override
            public void resize(int columns, int lines) {
                docker.client().resizeExecCmd(exec).withSize(lines, columns).exec();
            }

            @Override
            public void stop() {
                // Closing its streams hangs up psql's terminal (or ends its input): it exits.
                try {
                    RawAttach a = attach;
                    if (a != null) {
                        a.close();
                    }
                } catch (IOException ignored) {
                    // closed already
                }
            }

            @Override
            public void remove() {
                // Docker forgets a finished exec by itself
            }
        };
    }
}
