package io.slipway.controller;

import io.slipway.keys.CertKey;
import io.slipway.api.AppInfo;
import io.slipway.controller.heroku.HerokuRoutes;
import io.slipway.controller.heroku.LogSessions;
import io.slipway.controller.heroku.HerokuShapes;
import io.slipway.controller.addons.Addons;
import io.slipway.controller.app.App;
import io.slipway.controller.app.AppRoutes;
import io.slipway.controller.app.AppService;
import io.slipway.controller.auth.AccountRoutes;
import io.slipway.controller.auth.TokenService;
import io.slipway.controller.build.BuildPipeline;
import io.slipway.controller.build.BuildRoutes;
import io.slipway.controller.build.BuildService;
import io.slipway.controller.build.InterruptedBuilds;
import io.slipway.controller.build.Builder;
import io.slipway.controller.build.Buildpacks;
import io.slipway.controller.build.StackImages;
import io.slipway.controller.config.ConfigRoutes;
import io.slipway.controller.deploy.ReleasePhase;
import io.slipway.controller.deploy.ReleaseProgress;
import io.slipway.controller.docker.DockerEngine;
import io.slipway.controller.docker.HostFirewall;
import io.slipway.controller.docker.Networks;
import io.slipway.controller.domain.DomainRoutes;
import io.slipway.controller.domain.DomainService;
import io.slipway.controller.dyno.Backoff;
import io.slipway.controller.dyno.DockerDynoRuntime;
import io.slipway.controller.dyno.DynoManager;
import io.slipway.controller.dyno.Dynos;
import io.slipway.controller.dyno.DynoRoutes;
import io.slipway.controller.dyno.FormationService;
import java.time.Clock;
import io.slipway.controller.git.PushLocks;
import io.slipway.controller.git.RepositoryCache;
import io.slipway.controller.git.RepositoryLog;
import io.slipway.controller.git.GitRoutes;
import io.slipway.controller.logs.LogSink;
import io.slipway.controller.logs.Logging;
import io.slipway.controller.release.ReleaseRoutes;
import io.slipway.controller.run.OneOffDynos;
import io.slipway.controller.run.RunRoutes;
import io.slipway.controller.schedule.ScheduleRoutes;
import io.slipway.controller.schedule.ScheduleService;
import io.slipway.controller.swarm.NodeRoutes;
import io.slipway.controller.swarm.Registry;
import io.slipway.controller.swarm.SwarmDynoManager;
import io.slipway.controller.swarm.SwarmServices;
import io.slipway.controller.swarm.NodeService;
import io.slipway.controller.release.ReleaseService;
import io.slipway.controller.config.ConfigService;
import io.slipway.controller.db.Database;
import io.slipway.controller.db.DatabaseUrl;
import io.slipway.controller.db.EmbeddedPostgres;
import io.slipway.controller.db.PlatformIdentity;
import io.slipway.controller.db.PostgresSupervisor;
import io.slipway.controller.http.ApiServer;
import io.slipway.controller.http.Routes;
import io.slipway.controller.leader.Leadership;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running controller: every service wired by hand, in dependency order, from one config. */
public final class Controller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Controller.class);
    /** How often the reconcile loops look again when nothing woke them: a crash at boot is seen within this. */
    private static final Duration TICK = Duration.ofSeconds(1);
    /** How long a dyno without a port (a worker) must keep running before its release counts as booted. */
    private static final Duration WORKER_SETTLE = Duration.ofSeconds(2);

    private final Database db;
    /** Null with an external database. */
    private final PostgresSupervisor supervisor;
    private final ApiServer api;
    private final DockerEngine docker;
    private final Builder builder;
    private final StackImages stacks;
    private final Dynos dynos;
    private final ReleasePhase phase;
    private final PlatformIdentity platform;
    private final ScheduleService schedules;
    private final Logging logging;
    private final Leadership leadership;
    /** Null when SLIPWAY_RENDEZVOUS_PORT is off. */
    private io.slipway.controller.heroku.Rendezvous rendezvous;

    private Controller(Database db, PostgresSupervisor supervisor, ApiServer api, DockerEngine docker, Builder builder,
                       StackImages stacks,
                       Dynos dynos, ReleasePhase phase, PlatformIdentity platform, Logging logging,
                       ScheduleService schedules, Leadership leadership) {
        this.leadership = leadership;
        this.phase = phase;
        this.logging = logging;
        this.dynos = dynos;
        this.platform = platform;
        this.schedules = schedules;
        this.db = db;
        this.supervisor = supervisor;
        this.api = api;
        this.docker = docker;
        this.builder = builder;
        this.stacks = stacks;
    }

    /**
     * Off the request path: clears build containers a killed controller left behind (unless other
     * controllers run, whose builds they may be) and builds the stack images now, so the first push
     * does not wait for them. A missing Docker engine is logged, not fatal: apps and config work without it.
     */
    public void prepareBuildsInBackground() {
        Thread.ofVirtual().name("prepare-builds").start(() -> {
            try {
                log.info("Docker engine {} reachable", docker.version());
                if (Leadership.otherControllers(db, leadership.status().self()).isEmpty()) {
                    int removed = builder.removeOrphans();
                    if (removed > 0) {
                        log.warn("removed {} build container(s) left by an interrupted controller", removed);
                    }
                }
                var images = stacks.ensure(line -> log.info("stack: {}", line.strip()));
                log.info("stack images ready: {} and {}", images.build(), images.run());
            } catch (RuntimeException e) {
                log.warn("builds are not ready: {}", e.getMessage());
            }
        });
    }

    public static Controller start(ControllerConfig config) {
        long started = System.nanoTime();
        // Swarm mode on an engine that is not a manager stops here, before anything is made or opened.
        DockerEngine docker = engine(config);
        try {
            NodeService.checkEngine(config.scheduler(), docker);
        } catch (RuntimeException e) {
            docker.close();
            throw e;
        }
        prepareHome(config.home());
        EmbeddedPostgres embedded = config.databaseUrl().isPresent() ? null : EmbeddedPostgres.underHome(config.home());
        DatabaseUrl url = config.databaseUrl().orElseGet(() -> embedded.ensureRunning());
        Database db = Database.open(url, config.databaseTimeout(), Duration.ofSeconds(30));
        // Ours to keep running when embedded; an external database's outages are its operator's (503 until it is back).
        PostgresSupervisor supervisor = embedded == null ? null : PostgresSupervisor.start(embedded, db::reconnect);
        if (supervisor != null) {
            db.watchedBy(supervisor);
        }
        Logging logging = null;
        io.slipway.controller.heroku.Rendezvous rendezvous = null;
        try {
            TokenService tokens = new TokenService(db);
            tokens.ensureAdminToken(config.home().resolve("admin-token"));
            AppService apps = new AppService(db);
            ReleaseService releases = new ReleaseService(db);
            ConfigService configVars = new ConfigService(db, releases);
            String self = Leadership.controllerId(config.apiPort());
            BuildService builds = new BuildService(db, self);
            InterruptedBuilds interrupted = new InterruptedBuilds(builds, db, self);
            interrupted.lookOnce();
            StackImages stacks = new StackImages(docker, config.buildpacksDir().resolve("stack"));
            PlatformIdentity platform = PlatformIdentity.load(db);
            boolean swarm = config.scheduler() == io.slipway.controller.swarm.Scheduler.SWARM;
            Networks networks = new Networks(docker, platform.shortId(), swarm);
            if (docker.host().getScheme().equals("unix")) {
                recordFirewall(config.home(), new HostFirewall(platform.shortId(), networks.bridgePrefix()));
            } else {
                log.warn("host firewall not installed: the Docker engine at {} runs on another host, whose own "
                        + "listeners its containers can reach unless its firewall says otherwise", docker.host());
            }
            Builder builder = new Builder(docker, stacks, new Builder.Settings(platform.shortId(),
                    config.buildTimeout(), config.buildCaBundle(), config.hostEnv(), config.buildMemoryBytes(),
                    config.buildCpus(), config.containerLogs()), networks);
            BuildPipeline pipeline = new BuildPipeline(db, builds, releases, configVars,
                    new Buildpacks(config.buildpacksDir()), builder);
            DynoManager.Settings dynoSettings = new DynoManager.Settings(TICK, config.dynoGrace(), config.bootTimeout(),
                    WORKER_SETTLE, new Backoff(Duration.ofSeconds(1), config.restartBackoffCap()),
                    config.maxDynosPerType(), Duration.ofSeconds(2));
            Dynos dynos;
            if (swarm) {
                Registry registry = new Registry(docker, platform.shortId(), config.buildpacksDir(), config.home(),
                        config.registryPort());
                registry.ensureRunning(line -> log.info("registry image: {}", line.strip()));
                dynos = new SwarmDynoManager(db, releases, new SwarmServices(docker, platform.shortId(),
                        config.containerLogs(), config.dynoGrace()), registry, networks, Clock.systemUTC(), dynoSettings);
            } else {
                dynos = new DynoManager(db, releases,
                        new DockerDynoRuntime(docker, platform.shortId(), networks, config.containerLogs()),
                        Clock.systemUTC(), dynoSettings, platform.shortId());
            }
            FormationService formation = new FormationService(db, releases, config.maxDynosPerType(),
                    swarm ? new io.slipway.controller.swarm.NodeCapacity(docker) : io.slipway.controller.dyno.Capacity.UNLIMITED);
            logging = Logging.start(config.home(), config.logPort(), platform.shortId(), config.scheduler(),
                    docker.host(), name -> apps.find(name).isPresent());
            LogSink logs = logging.sink();
            releases.logTo(logs);
            configVars.logTo(logs);
            pipeline.logTo(logs);
            dynos.logTo(logs);
            formation.logTo(logs);
            OneOffDynos runs = new OneOffDynos(db, docker, releases, logs, Clock.systemUTC(), platform.shortId(),
                    config.dynoGrace(), config.runMaxTime(), networks, config.containerLogs());
            ReleasePhase phase = new ReleasePhase(releases, apps, runs, dynos::wake, Clock.systemUTC(), TICK,
                    config.runMaxTime());
            // Whatever makes a release (a push, a config change, a rollback) wakes both loops that move it on.
            Runnable releaseMade = () -> {
                phase.wake();
                dynos.wake();
            };
            ReleaseProgress progress = new ReleaseProgress(releases, dynos, phase, Clock.systemUTC());
            ScheduleService schedules = new ScheduleService(db, runs, logs, Clock.systemUTC(),
                    ScheduleService.Settings.defaults(config.runMaxTime()));
            apps.onDestroy(schedules::forgetApp);
            // Destroying an app: its dynos stop first, then its images, cache volume and repository go.
            apps.onDestroy(app -> dynos.removeApp(app.name().value()));
            Logging appLogs = logging;
            apps.onDestroy(app -> appLogs.remove(app.name().value()));
            apps.onDestroy(app -> builder.forgetApp(app.name().value()));
            apps.onDestroy(app -> networks.removeApp(app.name().value())); // once no container of the app is left
            configVars.afterChange(releaseMade);
            // Add-ons (factor IV): destroying an app destroys its add-ons, once its dynos are stopped.
            Addons addons = Addons.wire(db, apps, configVars, docker, platform.shortId(), networks, config.buildpacksDir(),
                    schedules, logs, config.hostEnv(), config.home());
            apps.onDestroy(addons.service()::appDestroyed);
            // Repositories live in PostgreSQL, keyed by app id (a rename moves nothing); the disk holds a cache.
            RepositoryCache repos = new RepositoryCache(config.home().resolve("git"), new RepositoryLog(db), 50);
            apps.onDestroy(repos::forget);
            // An add-on lives on the app's network, which is named after the app and cannot be renamed.
            apps.beforeRename(app -> {
                if (!addons.service().list(app).isEmpty()) {
                    throw io.slipway.controller.http.ApiException.conflict("app '" + app.name() + "' has add-ons, "
                            + "which Slipway cannot move to a new name yet; destroy them first or keep the name");
                }
            });
            Logging renamedLogs = logging;
            apps.onRename((was, now) -> renamedLogs.service().rename(was.name().value(), now.name().value()));
            // Its dynos stop under the old name; the dyno manager starts them again under the new one.
            apps.onRename((was, now) -> dynos.removeApp(was.name().value()));

            var certKey = CertKey.underHome(config.home());
            var certs = new io.slipway.controller.certs.CertService(db, certKey, config.domain(), Clock.systemUTC());
            certs.keyOpensStored(config.home().resolve(CertKey.FILE)); // another controller's key: says what to copy
            // Automatic certificates: the renewal timer joins the scheduler before it starts, below.
            var acme = io.slipway.controller.certs.acme.Acme.wire(db, certKey, apps, certs,
                    schedules, logs, io.slipway.controller.certs.acme.AcmeSettings.fromEnv(config.hostEnv()), Clock.systemUTC());

            // Several controllers may share the database: only the one that leads runs what changes the engine.
            Leadership leadership = Leadership.of(url, platform.id(), self, List.of(
                    Leadership.Duty.of("dyno manager", dynos::start, dynos::stop),
                    Leadership.Duty.of("release phase", phase::start, phase::stop),
                    Leadership.Duty.of("add-ons", () -> startAddons(addons), () -> {}),
                    Leadership.Duty.of("interrupted builds", interrupted::start, interrupted::stop)), TICK);

            var routes = Routes.table();
            new HealthRoutes(db, leadership).register(routes);
            new AccountRoutes().register(routes);
            java.util.function.BiFunction<App, io.slipway.controller.auth.Principal, Object> appView =
                    (app, who) -> HerokuShapes.app(view(config, app), who, repos.storedSize(app), acme.status(app).enabled());
            var herokuAcm = new io.slipway.controller.heroku.HerokuAcm(apps, acme, appView);
            new AppRoutes(apps, appView).register(routes);
            new LogSessions(apps, logging.service(), Clock.systemUTC()).register(routes);
            new ConfigRoutes(apps, configVars).register(routes);
            new BuildRoutes(apps, builds).register(routes);
            new ReleaseRoutes(apps, releases, releaseMade).register(routes);
            var heroku = io.slipway.controller.heroku.HerokuSettings.fromEnv(config.hostEnv(), config.home(),
                    config.apiPort(), config.domain());
            new io.slipway.controller.heroku.HerokuSetupRoute(heroku).register(routes);
            rendezvous = heroku.rendezvousPort().isEmpty() ? null
                    : io.slipway.controller.heroku.Rendezvous.start(heroku, config.bind(), Clock.systemUTC());
            new RunRoutes(apps, runs, docker, rendezvous == null ? RunRoutes.AttachElsewhere.NONE
                    : new io.slipway.controller.heroku.HerokuRun(runs, docker, rendezvous)).register(routes);
            Duration followAtMost = config.runMaxTime().plus(config.bootTimeout()).plusSeconds(15);
            new GitRoutes(apps, repos, new PushLocks(url, config.buildTimeout().plus(followAtMost)), pipeline, progress,
                    releases, followAtMost,
                    app -> config.webUrl(app.name().value())).register(routes);
            new DynoRoutes(apps, formation, dynos, releases, runs).register(routes);
            new ScheduleRoutes(apps, schedules).register(routes);
            new NodeRoutes(new NodeService(config.scheduler(), docker, platform.shortId())).register(routes);
            new DomainRoutes(apps, new DomainService(db, config.domain()), herokuAcm::withStatus).register(routes);
            new io.slipway.controller.certs.CertRoutes(apps, certs).register(routes);
            new HerokuRoutes(apps, appView, releases, certs::list).register(routes);
            new io.slipway.controller.certs.acme.AcmeRoutes(apps, acme).register(routes);
            herokuAcm.register(routes);
            logging.register(routes, apps);
            addons.register(routes);
            new io.slipway.controller.heroku.HerokuAddons(apps, addons.service()).register(routes);
            new io.slipway.controller.heroku.HerokuDatabases(apps, addons.service(), addons.psql(), addons.backups(),
                    configVars::get).register(routes);
            new io.slipway.controller.heroku.HerokuTransfers(apps, addons.service(), addons.backups(), heroku,
                    Clock.systemUTC()).register(routes);

            ApiServer api = ApiServer.start(config.bind(), config.apiPort(), heroku.https(), config.apiTimeouts(), tokens,
                    Set.of(HealthRoutes.PATH, LogSessions.PATH,
                    io.slipway.controller.heroku.HerokuTransfers.DOWNLOADS), routes);
            log.info("controller {} listening on http://{}:{}{} (state: {}) in {} ms", BuildInfo.version(),
                    config.bind(), api.port(), api.httpsPort() < 0 ? "" : " and https://" + config.domain() + ":" + api.httpsPort(),
                    url.describe(), (System.nanoTime() - started) / 1_000_000);
            schedules.start(); // on every controller: Quartz's clustered store fires each schedule on one of them
            leadership.start();
            Controller c = new Controller(db, supervisor, api, docker, builder, stacks, dynos, phase, platform, logging, schedules,
                    leadership);
            c.rendezvous = rendezvous;
            return c;
        } catch (RuntimeException e) {
            if (rendezvous != null) {
                rendezvous.close();
            }
            if (supervisor != null) {
                supervisor.close();
            }
            if (logging != null) {
                logging.close();
            }
            db.close();
            docker.close();
            throw e;
        }
    }

    /** DOCKER_HOST as the config was given it (a test's environment is not the process's), else docker-java's default. */
    private static DockerEngine engine(ControllerConfig config) {
        String host = config.hostEnv().get("DOCKER_HOST");
        return host == null || host.isBlank() ? DockerEngine.connect() : DockerEngine.at(host.trim());
    }

    /** Adopts the add-ons' servers; a Docker engine that cannot be reached only delays that, as for builds. */
    private static void startAddons(Addons addons) {
        try {
            addons.service().start();
        } catch (RuntimeException e) {
            log.warn("add-ons not adopted: {}", e.getMessage());
        }
    }

    /** The short id that labels this platform's containers, volumes and images. */
    public String platformId() {
        return platform.shortId();
    }

    public int apiPort() {
        return api.port();
    }

    private static AppInfo view(ControllerConfig config, App app) {
        String name = app.name().value();
        return new AppInfo(app.id().toString(), name, app.createdAt(), app.updatedAt(),
                config.webUrl(name), config.gitUrl(name));
    }

    /** Installs the host firewall and notes it where {@code ./slipway down} finds it to remove it with dockerd. */
    private static void recordFirewall(Path home, HostFirewall firewall) {
        if (!firewall.install().installed()) {
            return;
        }
        try {
            Files.createDirectories(home.resolve("run"));
            Files.writeString(home.resolve("run/firewall"), firewall.chain() + " " + firewall.interfaces() + "\n");
        } catch (IOException e) {
            log.warn("could not note the host firewall chain {} in {}: {}", firewall.chain(), home.resolve("run"), e.getMessage());
        }
    }

    private static void prepareHome(Path home) {
        try {
            if (!Files.isDirectory(home)) {
                Files.createDirectories(home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create SLIPWAY_HOME " + home + ": " + e.getMessage(), e);
        }
    }

    /** Stops serving and releases the database pool; the data plane (dynos, embedded PostgreSQL) keeps running. */
    @Override
    public void close() {
        if (supervisor != null) {
            supervisor.close(); // first: a server stopped after the controller (./slipway down) must stay stopped
        }
        api.close();
        if (rendezvous != null) {
            rendezvous.close();
        }
        leadership.close(); // stops the loops it started and frees the lead for the next controller
        schedules.close();
        logging.close();
        phase.close();
        dynos.close();
        db.close();
        docker.close();
        log.info("controller stopped");
    }
}
