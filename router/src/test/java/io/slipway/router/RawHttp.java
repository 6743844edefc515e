package io.slipway.router;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** Bytes on a socket, for requests no well-behaved client library would send. */
final class RawHttp {
    private RawHttp() {}

    /** Sends {@code raw} and returns everything the router answers until it closes the connection (or 5 s pass). */
    static String exchange(int port, String raw) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            try {
                out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (SocketException e) {
                // the router may answer and close before reading all of a huge request: read what it said
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                }
            } catch (SocketException | java.net.SocketTimeoutException e) {
                // reset after the answer, or a connection left open: keep what arrived
                if (e instanceof java.net.SocketTimeoutException) {
                    got.write("\n[still open after 5 s]".getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
