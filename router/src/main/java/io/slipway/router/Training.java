package io.slipway.router;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A short run of the router's start and request paths ({@code Main --train}), for the JVM to
 * archive the classes they load: {@code ./slipway} runs it once per build with
 * {@code -XX:AOTCacheOutput} (or {@code -XX:ArchiveClassesAtExit}), so that a router killed before
 * it ever stopped cleanly still starts from an archive (1.7-2.3 s to routing again without one,
 * against a 2 s goal). It is the real start on free ports, against the real database, then a few
 * requests to itself over HTTP and HTTPS.
 */
final class Training {
    private static final Logger log = LoggerFactory.getLogger(Training.class);
    /** Long enough for a first connect to the database, short enough to never hold up a build. */
    private static final Duration ROUTES_WAIT = Duration.ofSeconds(10);

    private Training() {}

    static void run(RouterConfig config) throws IOException {
        RouterConfig free = config.onFreePorts();
        long t0 = System.nanoTime();
        try (Router router = Router.start(free, RequestLog.NONE, ROUTES_WAIT)) {
            String platform = free.domain();
            String noApp = "slipway-training." + platform; // a 404 page: the app-routing path
            for (String host : new String[] {platform, noApp}) {
                exchange(new Socket(), router.port(), host);
                if (router.tlsPort() > 0) {
                    exchange(trustingTls().createSocket(), router.tlsPort(), host);
                }
            }
        }
        log.info("training run done in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    /** One HTTP/1.1 request with the connection closed after it; the answer is read and dropped. */
    private static void exchange(Socket socket, int port, String host) throws IOException {
        try (socket) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(5_000);
            if (socket instanceof SSLSocket tls) {
                javax.net.ssl.SSLParameters p = tls.getSSLParameters();
                p.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(host)));
                tls.setSSLParameters(p);
            }
            OutputStream out = socket.getOutputStream();
            out.write(("GET /healthz HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            in.transferTo(OutputStream.nullOutputStream());
        }
    }

    /**
     * Trusts whatever the router presents: this client talks only to the router it just started,
     * on loopback, sends nothing secret and drops the answer; the certificate is whatever the
     * operator configured or the self-signed one.
     */
    private static javax.net.ssl.SSLSocketFactory trustingTls() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) { }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) { }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is part of every JDK", e);
        }
    }
}
