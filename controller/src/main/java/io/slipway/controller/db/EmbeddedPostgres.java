package io.slipway.controller.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.slipway.controller.BuildInfo;

/**
 * The platform's own PostgreSQL when no {@code DATABASE_URL} is given: zonky's relocatable
 * binaries (from Maven Central) unpacked once, a cluster under {@code $SLIPWAY_HOME/postgres/data},
 * listening on 127.0.0.1 only, password-protected.
 *
 * <p>The server is started detached ({@code pg_ctl start}), so it outlives a controller that is
 * killed; the next controller adopts it, and while a controller runs its {@link PostgresSupervisor}
 * starts the server again when it dies. PostgreSQL refuses to run as root, so as root it runs
 * inside a user namespace where it is {@code nobody} while its files stay root's on the host.
 */
public final class EmbeddedPostgres {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String USER = "slipway";
    public static final String DATABASE = "slipway";

    private final Path binaries;
    private final Path root;
    private final Path data;

    /**
     * @param binaries where the unpacked PostgreSQL binaries live (shared between clusters)
     * @param root     this cluster's directory: {@code data/}, {@code port}, {@code password}, {@code postgres.log}
     */
    public EmbeddedPostgres(Path binaries, Path root) {
        this.binaries = binaries;
        this.root = root;
        this.data = root.resolve("data");
    }

    /** The cluster under {@code $SLIPWAY_HOME/postgres}, with binaries unpacked beside it. */
    public static EmbeddedPostgres underHome(Path home) {
        return new EmbeddedPostgres(binariesUnder(home), home.resolve("postgres"));
    }

    /** Where {@link #underHome} unpacks the binaries: versioned, so an upgrade unpacks afresh. */
    public static Path binariesUnder(Path home) {
        return home.resolve("postgres").resolve("binaries-" + BuildInfo.postgresVersion());
    }

    /** Initialises the cluster if needed, starts it unless it already runs, and returns how to reach it. */
    public DatabaseUrl ensureRunning() {
        try {
            Files.createDirectories(root);
            try (FileChannel ch = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                PostgresBinaries.unpackInto(binaries, root);
                if (!Files.exists(data.resolve("PG_VERSION"))) {
                    initCluster();
                }
                DatabaseUrl url = url();
                int port = port();
                if (isRunning()) {
                    log.info("embedded PostgreSQL already running: adopting it on 127.0.0.1:{}", port);
                } else {
                    startOverStaleLock(port);
                }
                createDatabaseIfMissing(port, url.password());
                return url;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL under " + root + ": " + e.getMessage(), e);
        }
    }

    /** How to reach the initialised cluster, whether or not its server runs now. */
    public DatabaseUrl url() throws IOException {
        String password = Files.readString(root.resolve("password")).trim();
        return new DatabaseUrl("jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE, USER, password);
    }

    private int port() throws IOException {
        return Integer.parseInt(Files.readString(root.resolve("port")).trim());
    }

    /**
     * Starts the server again after its postmaster died, on the same data directory and port;
     * PostgreSQL's crash recovery replays the write-ahead log, so every committed transaction is
     * there. A no-op when a server runs (another controller on this home was quicker). Throws
     * when it cannot start yet; the caller tries again later.
     */
    public void restart() {
        try {
            Files.createDirectories(root);
            try (FileChannel ch = FileChannel.open(root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                if (!isRunning()) {
                    startOverStaleLock(port());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL under " + root + ": " + e.getMessage(), e);
        }
    }

    /** The postmaster's pid as its lock file says, empty when there is none (stopped cleanly). */
    public OptionalLong postmasterPid() {
        return PostmasterLock.in(data).pid();
    }

    /** Fast shutdown (SIGINT semantics through pg_ctl); a no-op when it is not running. */
    public void stop() {
        if (isRunning()) {
            run(Duration.ofSeconds(60), pgCtl("stop", "-D", data.toString(), "-m", "fast", "-w"));
        }
    }

    /** Whether the postmaster its lock file names is alive (not {@code pg_ctl status}, which takes a zombie for a server). */
    public boolean isRunning() {
        return PostmasterLock.in(data).postmasterAlive();
    }

    public Path dataDirectory() {
        return data;
    }

    private void initCluster() throws IOException {
        int port = freePort();
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        writePrivate(root.resolve("password"), password);
        writePrivate(root.resolve("port"), Integer.toString(port));
        Path pwfile = root.resolve(".initdb-pw");
        writePrivate(pwfile, password);
        PostgresBinaries.deleteTree(data);
        log.info("initialising embedded PostgreSQL cluster in {} (port {})", data, port);
        try {
            run(Duration.ofMinutes(3), command(binaries.resolve("bin/initdb").toString(),
                    "-D", data.toString(), "-U", USER, "--pwfile=" + pwfile,
                    "--auth=scram-sha-256", "-E", "UTF8", "--locale=C"));
        } finally {
            Files.deleteIfExists(pwfile);
        }
    }

    private void startOverStaleLock(int port) throws IOException {
        PostmasterLock lock = PostmasterLock.in(data);
        Optional<String> wait = lock.clearIfStale();
        // The backends of a killed postmaster notice its death and exit within moments: wait that out here.
        for (int i = 0; wait.isPresent() && i < 20; i++) {
            sleep(Duration.ofMillis(100));
            wait = lock.clearIfStale();
        }
        if (wait.isPresent()) {
            throw new IllegalStateException("embedded PostgreSQL in " + data + " cannot start yet: " + wait.get());
        }
        start(port);
    }

    private void start(int port) throws IOException {
        log.info("starting embedded PostgreSQL on 127.0.0.1:{} (data {})", port, data);
        // Small footprint: the platform's state is tiny; unix sockets off (TCP on loopback only).
        String options = "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                + " -c shared_buffers=16MB -c max_connections=60 -c max_wal_size=256MB";
        run(Duration.ofSeconds(90), pgCtl("start", "-D", data.toString(), "-w", "-t", "60",
                "-l", root.resolve("postgres.log").toString(), "-o", options));
    }

    /**
     * SCRAM's iteration count (PostgreSQL's default is 4096) slows down guessing a person's password
     * from a stolen verifier; this password is 192 random bits, which no count makes harder to guess.
     * Every connection pays the count on the client, and a JVM that has just started pays it in the
     * interpreter: about 80-100 ms of a killed router's way back to routing. So the platform's own
     * role gets a verifier of a few iterations (PostgreSQL 16+ reads {@code scram_iterations}).
     */
    public static final int SCRAM_ITERATIONS = 16;

    private static void cheapenScram(Connection c, String password) throws SQLException {
        try (var verifier = c.prepareStatement("select rolpassword from pg_authid where rolname = current_user");
             var rs = verifier.executeQuery()) {
            if (!rs.next() || rs.getString(1) == null || rs.getString(1).startsWith("SCRAM-SHA-256$" + SCRAM_ITERATIONS + ":")) {
                return;
            }
        }
        if (!password.matches("[0-9a-f]+")) {
            return; // not one this class made (it writes hex): leave it as it is
        }
        try (var alter = c.createStatement()) {
            alter.execute("set scram_iterations = " + SCRAM_ITERATIONS);
            alter.execute("alter role " + USER + " password '" + password + "'");
        }
    }

    private void createDatabaseIfMissing(int port, String password) {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
        try (Connection c = DriverManager.getConnection(url, USER, password);
             var exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, DATABASE);
            if (!exists.executeQuery().next()) {
                try (var create = c.createStatement()) {
                    create.execute("create database " + DATABASE);
                }
            }
            cheapenScram(c, password);
        } catch (SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL on port " + port + " started but refused a connection: "
                    + e.getMessage() + " (log: " + root.resolve("postgres.log") + ")", e);
        }
    }

    private List<String> pgCtl(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binaries.resolve("bin/pg_ctl").toString());
        cmd.addAll(List.of(args));
        return command(cmd.toArray(String[]::new));
    }

    /** As root, wrap the command so PostgreSQL sees an ordinary user (it refuses uid 0). */
    private static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>();
        if (isRoot()) {
            cmd.addAll(List.of("unshare", "--map-user=65534", "--map-group=65534"));
        }
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static boolean isRoot() {
        try {
            return "0".equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString());
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private record Result(int exit, String output) {}

    private void run(Duration timeout, List<String> cmd) {
        Result r = exec(timeout, cmd);
        if (r.exit != 0) {
            String hint = isRoot() && r.output.contains("unshare")
                    ? " (PostgreSQL cannot run as root and user namespaces seem unavailable: run Slipway as a non-root user, or set DATABASE_URL)"
                    : "";
            throw new IllegalStateException("'" + String.join(" ", cmd) + "' failed with exit code " + r.exit + ": "
                    + r.output.strip() + hint);
        }
    }

    private Result exec(Duration timeout, List<String> cmd) {
        try {
            Path out = Files.createTempFile("slipway-pg", ".out");
            try {
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    return new Result(-1, "timed out after " + timeout.toSeconds() + " s");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
            }
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    private static void sleep(Duration d) throws IOException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the dead server's processes to exit");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }
}
