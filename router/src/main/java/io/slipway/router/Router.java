package io.slipway.router;

import io.slipway.keys.CertKey;
import io.slipway.keys.LogKey;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.predicate.Predicates;
import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.proxy.ProxyHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * A running router: one Undertow listener in front of the handler chain, the route table kept in
 * step with the database, and keep-alive pools to the dynos. The chain, top to bottom:
 * {@link RequestGuard} (framing, Host, header size) → {@link AcmeChallengeHandler} (ACME HTTP-01 answers) → {@link RouterHandler} (platform or app) →
 * {@link PlatformHandler} | {@link AppRouter} → {@link DynoForwarder} for requests without a body, Undertow's
 * {@link ProxyHandler} over {@link DynoProxyClient} for those with one and for upgrades.
 */
public final class Router implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Router.class);

    // ---- tunables, gathered in one block --------------------------------------------------------
    /** Headers past this answer 431 (Heroku allows 8 KiB per header line; browsers rarely send 16 KiB in all). */
    static final int MAX_HEADER_BYTES = 32 * 1024;
    /** Undertow's parser limit for the request line and headers together; past it the connection is closed with a bare 400. */
    static final int PARSER_LIMIT_BYTES = 128 * 1024;
    /** A keep-alive client connection idle this long is closed (ms). */
    static final int IDLE_CLIENT_MILLIS = 75_000;
    /** A client that takes this long to send its request line and headers is cut off (ms). */
    static final int PARSE_TIMEOUT_MILLIS = 30_000;
    /** The proxy never blocks: IO threads (RouterConfig#ioThreads) do all the work; workers only run what Undertow insists on. */
    static final int WORKER_THREADS = 2;
    /** How long a stopping router lets requests in flight finish (the supervisor waits 20 s before SIGKILL). */
    static final Duration DRAIN = Duration.ofSeconds(10);
    /**
     * How long a starting router waits for its routes before it listens anyway (and answers 503
     * routes_unavailable until they load): long enough for the controller to bring up the embedded
     * PostgreSQL on a first start, short enough that health checks see a router that cannot read
     * its database as up and saying why.
     */
    static final Duration ROUTES_WAIT = Duration.ofSeconds(30);
    /** Undertow's default for a heap of 128 MiB or more: 16 KiB direct buffers. */
    static final int BUFFER_BYTES = 16 * 1024;

    private final Undertow server;
    /** HTTPS, on the same IO threads and handler chain; null when TLS is off. */
    private final Undertow tlsServer;
    /** The IO threads; the router's own (Undertow stops only a worker it created), so that they start while the routes load. */
    private final XnioWorker worker;
    private final AppRouter apps;
    private final RouteSync sync;
    private final DynoPools pools;
    private final AsyncRequestLog ownLog;

    private Router(Undertow server, Undertow tlsServer, AppRouter apps, RouteSync sync, DynoPools pools, AsyncRequestLog ownLog) {
        this.server = server;
        this.tlsServer = tlsServer;
        this.worker = server.getWorker();
        this.apps = apps;
        this.sync = sync;
        this.pools = pools;
        this.ownLog = ownLog;
    }

    /** A router writing its request lines into the app log streams (or stdout), as the config says. */
    public static Router start(RouterConfig config) {
        AsyncRequestLog requestLog = new AsyncRequestLog(config.logPort() > 0 ? new DatagramLines(config.logPort(), LogKey.readOrCreate(config.logKeyFile())) : new StdoutLines());
        log.info("request lines go to {}", requestLog.describe());
        return start(config, requestLog, requestLog);
    }

    /** A router writing its request lines to {@code requestLog}. */
    public static Router start(RouterConfig config, RequestLog requestLog) {
        return start(config, requestLog, null, ROUTES_WAIT);
    }

    /** The same, waiting at most {@code routesWait} for routes before listening (tests of a database that is away). */
    static Router start(RouterConfig config, RequestLog requestLog, Duration routesWait) {
        return start(config, requestLog, null, routesWait);
    }

    private static Router start(RouterConfig config, RequestLog requestLog, AsyncRequestLog ownLog) {
        return start(config, requestLog, ownLog, ROUTES_WAIT);
    }

    /**
     * Routes first, then the listening socket: a router that accepted connections before it could
     * route answered every request 503 for the 0.3-1.8 s its first load took (issue 13). Clients
     * of a router that is not listening yet get a refused connection, which they and load
     * balancers retry, rather than an error page.
     */
    private static Router start(RouterConfig config, RequestLog requestLog, AsyncRequestLog ownLog, Duration routesWait) {
        RouteTable routes = new RouteTable();
        DynoPools pools = new DynoPools(DynoPool.Tuning.DEFAULT);
        RouteSync[] syncRef = new RouteSync[1];
        Metrics metrics = new Metrics(routes, () -> syncRef[0] != null && syncRef[0].connected());
        TlsSettings tls = config.tls();
        // The platform certificate (PEM parsing or generation, BouncyCastle's classes) loads beside the
        // database connect: on the start's critical path it cost a killed router about a second.
        Certificates certificates = tls == null ? null : new Certificates(
                java.util.concurrent.CompletableFuture.supplyAsync(() -> PlatformCertificate.load(tls, config.domain())));
        CertQueries certQueries = tls == null ? null : new CertQueries(certificates, CertKey.readOrCreate(tls.certKeyFile()), config.domain());
        AcmeChallenges challenges = new AcmeChallenges();
        RouteSync sync = new RouteSync(config.database(), routes, () -> pools.retainOnly(routes.backends()), certQueries, challenges);
        syncRef[0] = sync;
        sync.start(); // first: the database connect and first load overlap the server's own start below

        HttpHandler proxy = ProxyHandler.builder()
                .setProxyClient(new DynoProxyClient(pools))
                .setMaxRequestTime(-1)                 // the dyno timeout is AppRouter's: time to first byte, not to the last
                .setMaxConnectionRetries(0)            // DynoProxyClient retries, and only failed connects
                .setIdempotentRequestPredicate(Predicates.falsePredicate()) // never resend a request a dyno may have seen
                .setReuseXForwarded(false)
                .setRewriteHostHeader(false)
                .build();
        Undertow[] tlsRef = new Undertow[1];
        // The configured port until the TLS listener is up (it starts just after the plain one).
        HttpsRedirect https = tls == null ? null : new HttpsRedirect(certificates,
                () -> tlsRef[0] == null ? tls.port() : listenerPort(tlsRef[0]));
        AppRouter apps = new AppRouter(config.domain(), routes, config.timeout(), new DynoForwarder(pools), proxy, requestLog, metrics, https);
        HttpHandler chain = new RequestGuard(MAX_HEADER_BYTES, new AcmeChallengeHandler(challenges,
                new RouterHandler(config.domain(), new PlatformHandler(config.domain(), metrics), apps)));

        XnioWorker worker = createWorker(config.ioThreads());
        Undertow server = Undertow.builder()
                .setWorker(worker)
                .addHttpListener(config.port(), config.bind())
                .setByteBufferPool(new ThreadLocalBufferPool(true, BUFFER_BYTES))
                .setServerOption(UndertowOptions.MAX_HEADER_SIZE, PARSER_LIMIT_BYTES)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, IDLE_CLIENT_MILLIS)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, PARSE_TIMEOUT_MILLIS)
                .setServerOption(UndertowOptions.ENABLE_HTTP2, false)
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
                .setSocketOption(Options.BACKLOG, 1024)
                .setHandler(chain)
                .build();
        // Loading BoringSSL's native library takes a few hundred milliseconds: done beside the routes'
        // first read, and kept off the plain listener's path, which a restarted router must open fast.
        CompletableFuture<Undertow> tlsBuild = tls == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> TlsListener.build(worker, config.bind(), tls.port(), certificates,
                        tls.engine(), chain));
        if (!awaitRoutes(routes, routesWait)) {
            log.warn("routes: none read after {} s; listening anyway, answering 503 routes_unavailable until the database answers",
                    routesWait.toSeconds());
        }
        if (certificates != null) {
            certificates.platform(); // a platform certificate that cannot be read fails the start, before it listens
        }
        server.start();
        Undertow tlsServer;
        try {
            tlsServer = tlsBuild.join();
        } catch (java.util.concurrent.CompletionException e) {
            server.stop(); // a router whose HTTPS cannot start does not start at all, as before
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        if (tlsServer != null) {
            tlsServer.start();
            tlsRef[0] = tlsServer;
            log.info("router listening on https://{}:{} (TLS 1.2/1.3, HTTP/2 and HTTP/1.1 by ALPN, certificates by SNI)",
                    config.bind(), listenerPort(tlsServer));
        }
        Router router = new Router(server, tlsServer, apps, sync, pools, ownLog);
        log.info("router listening on http://{}:{} for *.{} (dyno timeout {} ms, {} IO threads); routes from {}; ready {} ms after the JVM started",
                config.bind(), router.port(), config.domain(), config.timeout().toMillis(), config.ioThreads(), config.database().describe(),
                sinceJvmStart());
        return router;
    }

    /** The worker Undertow would create in start(), with the same options, made before the routes are in. */
    private static XnioWorker createWorker(int ioThreads) {
        try {
            return Xnio.getInstance(Undertow.class.getClassLoader()).createWorker(OptionMap.builder()
                    .set(Options.WORKER_IO_THREADS, ioThreads)
                    .set(Options.CONNECTION_HIGH_WATER, 1_000_000)
                    .set(Options.CONNECTION_LOW_WATER, 1_000_000)
                    .set(Options.WORKER_TASK_CORE_THREADS, WORKER_THREADS)
                    .set(Options.WORKER_TASK_MAX_THREADS, WORKER_THREADS)
                    .set(Options.TCP_NODELAY, true)
                    .set(Options.CORK, true)
                    .getMap());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the router's IO threads: " + e.getMessage(), e);
        }
    }

    private static boolean awaitRoutes(RouteTable routes, Duration wait) {
        try {
            return routes.awaitLoaded(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return routes.loaded();
        }
    }

    private static long sinceJvmStart() {
        return ProcessHandle.current().info().startInstant()
                .map(t -> Duration.between(t, java.time.Instant.now()).toMillis()).orElse(-1L);
    }

    public int port() {
        return listenerPort(server);
    }

    /** The HTTPS port; -1 when TLS is off. */
    public int tlsPort() {
        return tlsServer == null ? -1 : listenerPort(tlsServer);
    }

    private static int listenerPort(Undertow server) {
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    /**
     * Lets the requests in flight finish (up to {@link #DRAIN}), telling every client to close its
     * connection after its response, then stops. (Undertow's ListenerInfo.suspend() would stop the
     * accepts but also close every open connection, in-flight requests included.) WebSockets and
     * other upgraded connections are cut: they have no end to wait for.
     */
    @Override
    public void close() {
        int left = apps.drain(DRAIN);
        if (left > 0) {
            log.warn("router stopping with {} requests still in flight after {} s", left, DRAIN.toSeconds());
        }
        server.stop();
        if (tlsServer != null) {
            tlsServer.stop();
        }
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sync.close();
        pools.close();
        if (ownLog != null) {
            ownLog.close();
        }
    }
}
