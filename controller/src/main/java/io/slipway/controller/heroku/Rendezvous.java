package io.slipway.controller.heroku;

import io.slipway.controller.docker.RawAttach;
import io.slipway.controller.run.Attached;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heroku's rendezvous, the transport of {@code heroku run}: the dyno create answers
 * {@code rendezvous://HOST:PORT/SECRET}; the client connects here over TLS, sends the secret and
 * {@code \r\n}, skips the first line it gets back, then its stdin and the dyno's output flow raw.
 * A secret opens one session, within a minute; an offer nobody claims has its dyno removed. The
 * dyno's exit code ends the output as the {@code heroku-command-exit-status} line the CLI turns into
 * its own exit code, unless the command printed that line itself (the CLI appends an echo of it
 * with {@code -x}, which a command that exits the shell never reaches): without {@code -x} too.
 */
public final class Rendezvous implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Rendezvous.class);
    static final Duration CLAIM_WITHIN = Duration.ofMinutes(1);
    static final String EXIT_STATUS = "\uFFFF heroku-command-exit-status: ";
    private static final int MAX_SECRET_LINE = 200;
    private static final byte END_OF_INPUT = 4; // what the CLI sends when its stdin ends, without a TTY

    record Offer(Attached dyno, String subject, Instant expires) {}

    private final SSLServerSocket server;
    private final String host;
    private final Clock clock;
    private final Map<String, Offer> offers = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private volatile boolean closed;

    private Rendezvous(SSLServerSocket server, String host, Clock clock) {
        this.server = server;
        this.host = host;
        this.clock = clock;
    }

    /** Listens on {@code bind}, reached by the platform's domain, which its certificate names. */
    public static Rendezvous start(HerokuSettings settings, String bind, Clock clock) {
        try {
            SSLServerSocket server = (SSLServerSocket) PlatformTls.context(settings).getServerSocketFactory()
                    .createServerSocket(settings.rendezvousPort().orElseThrow(), 50, InetAddress.getByName(bind));
            Rendezvous r = new Rendezvous(server, settings.domain(), clock);
            Thread.ofPlatform().daemon().name("rendezvous-accept").start(r::acceptLoop);
            Thread.ofVirtual().name("rendezvous-expiry").start(r::expireLoop);
            String problem = PlatformTls.problem(settings);
            log.info("rendezvous (heroku run) listening on {}:{}{}", bind, r.port(), problem == null ? "" : "; " + problem);
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + bind + ":" + settings.rendezvousPort().getAsInt()
                    + " for heroku run (SLIPWAY_RENDEZVOUS_PORT): " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Holds a created, not yet started, dyno for the client that brings the secret; its {@code attach_url}. */
    String offer(Attached dyno, String subject) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        offers.put(secret, new Offer(dyno, subject, clock.instant().plus(CLAIM_WITHIN)));
        return "rendezvous://" + host + ":" + port() + "/" + secret;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SSLSocket s = (SSLSocket) server.accept();
                Thread.ofVirtual().name("rendezvous").start(() -> serve(s));
            } catch (IOException e) {
                if (!closed) {
                    log.warn("rendezvous: accept failed: {}", e.getMessage());
                }
            }
        }
    }

    private void expireLoop() {
        while (!closed) {
            try {
                Thread.sleep(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                return;
            }
            Instant now = clock.instant();
            offers.forEach((secret, o) -> {
                if (o.expires().isBefore(now) && offers.remove(secret, o)) {
                    log.info("{} rendezvous not claimed within {} s: removing the dyno", o.subject(), CLAIM_WITHIN.toSeconds());
                    o.dyno().remove();
                }
            });
        }
    }

    private void serve(SSLSocket s) {
        try (s) {
            s.setSoTimeout(10_000);
            String secret = readLine(s.getInputStream());
            Offer o = secret == null ? null : offers.remove(secret);
            OutputStream out = s.getOutputStream();
            if (o == null || o.expires().isBefore(clock.instant())) {
                out.write(("! this heroku run session is unknown, used or expired (a session is good once, within "
                        + CLAIM_WITHIN.toSeconds() + " s): run the command again\r\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (o != null) {
                    o.dyno().remove();
                }
                return;
            }
            s.setSoTimeout(0);
            // The client skips what comes first: a line of its own, so not a byte of the dyno's is lost.
            out.write("rendezvous\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            bridge(s, o);
        } catch (IOException e) {
            log.debug("rendezvous: connection ended: {}", e.getMessage());
        }
    }

    /** Attach before start, as {@code slipway run} does; output to the client until the dyno ends. */
    private void bridge(SSLSocket s, Offer o) {
        Attached dyno = o.dyno();
        AtomicBoolean over = new AtomicBoolean();
        log.info("{} attached over the rendezvous", o.subject());
        try (RawAttach a = dyno.attach()) {
            OutputStream out = s.getOutputStream();
            dyno.start();
            var exit = new CompletableFuture<Integer>();
            Thread.ofVirtual().start(() -> exit.complete(dyno.awaitExit()));
            Thread.ofVirtual().start(() -> pumpInput(s, a, dyno, over, o.subject()));
            ExitStatusSeen seen = new ExitStatusSeen();
            a.pump((stream, bytes) -> {
                seen.scan(bytes);
                out.write(bytes);
                out.flush();
            });
            int code = exit.join();
            over.set(true);
            if (!seen.seen()) {
                out.write((EXIT_STATUS + code + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            log.info("{} exited with {}", o.subject(), code);
        } catch (IOException | RuntimeException e) {
            if (over.compareAndSet(false, true)) {
                log.info("{} rendezvous client gone ({}): stopping the dyno", o.subject(), e.getMessage());
                dyno.stop();
            }
        } finally {
            dyno.remove();
        }
    }

    /**
     * The client's keys to the dyno. Without a TTY the CLI marks the end of its input with a 0x04
     * byte (it never half-closes); with one, 0x04 is the terminal's own Ctrl-D and goes through.
     * The client closing the connection means it is gone: the dyno is stopped.
     */
    private static void pumpInput(SSLSocket s, RawAttach a, Attached dyno, AtomicBoolean over, String subject) {
        byte[] buf = new byte[8192];
        boolean inputOpen = true;
        try {
            InputStream in = s.getInputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (!inputOpen || n == 0) {
                    continue;
                }
                int end = dyno.tty() ? -1 : indexOf(buf, n, END_OF_INPUT);
                a.writeStdin(java.util.Arrays.copyOf(buf, end < 0 ? n : end));
                if (end >= 0) {
                    inputOpen = false;
                    a.closeStdin();
                }
            }
        } catch (SocketException e) {
            // closed by the bridge once the dyno ended, or the client reset it
        } catch (IOException e) {
            log.debug("{} rendezvous input ended: {}", subject, e.getMessage());
        }
        if (over.compareAndSet(false, true)) {
            log.info("{} rendezvous client disconnected: stopping the dyno", subject);
            dyno.stop();
        }
    }

    /** Whether the output carried an exit status line, even split across reads (the marker is ASCII after U+FFFF). */
    static final class ExitStatusSeen {
        private static final String MARK = EXIT_STATUS.substring(2);
        private String tail = "";
        private boolean seen;

        void scan(byte[] bytes) {
            if (seen) {
                return;
            }
            String text = tail + new String(bytes, StandardCharsets.ISO_8859_1);
            seen = text.contains(MARK);
            tail = text.substring(Math.max(0, text.length() - MARK.length()));
        }

        boolean seen() {
            return seen;
        }
    }

    private static int indexOf(byte[] buf, int n, byte b) {
        for (int i = 0; i < n; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** The secret line: bounded, so a client sending no end of line cannot hold memory. Null at end of input. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                String s = line.toString(StandardCharsets.US_ASCII);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            if (line.size() >= MAX_SECRET_LINE) {
                return null;
            }
            line.write(c);
        }
        return null;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        offers.values().forEach(o -> o.dyno().remove());
        offers.clear();
    }
}
