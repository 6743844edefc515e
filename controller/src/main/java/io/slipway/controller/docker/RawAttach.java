package io.slipway.controller.docker;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Docker's attach endpoint over a hijacked connection, spoken directly on a socket channel.
 * docker-java can attach stdin too, but over a unix socket its transport cannot half-close the
 * connection, so the container never sees end-of-input ({@code echo abc | slipway run -- cat}
 * would hang). Here end-of-input is {@link SocketChannel#shutdownOutput()}, and output keeps
 * flowing until the container closes its side. The wire format is Docker's: raw bytes with a TTY,
 * otherwise frames with an 8-byte header (stream type, then a big-endian length).
 */
public final class RawAttach implements Closeable {
    /** Receives output as it comes: stream 1 is stdout, 2 is stderr (everything is 1 with a TTY). */
    @FunctionalInterface
    public interface Output {
        void write(int stream, byte[] bytes) throws IOException;
    }

    private final SocketChannel channel;
    private final InputStream in;
    private final OutputStream out;
    private final boolean tty;

    private RawAttach(SocketChannel channel, boolean tty) {
        this.channel = channel;
        this.in = Channels.newInputStream(channel);
        this.out = Channels.newOutputStream(channel);
        this.tty = tty;
    }

    /** Attaches stdin, stdout and stderr of a created (not yet started) container. */
    public static RawAttach open(URI dockerHost, String containerId, boolean tty) throws IOException {
        return connect(dockerHost, tty, "POST /containers/" + containerId
                + "/attach?stream=1&stdin=1&stdout=1&stderr=1 HTTP/1.1\r\n"
                + "Host: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n");
    }

    /**
     * Starts a created exec ({@code docker exec}, made with stdin, stdout and stderr attached) and
     * holds its streams, the same way: {@code pg:psql} runs through this.
     */
    public static RawAttach startExec(URI dockerHost, String execId, boolean tty) throws IOException {
        String body = "{\"Detach\":false,\"Tty\":" + tty + "}";
        return connect(dockerHost, tty, "POST /exec/" + execId + "/start HTTP/1.1\r\n"
                + "Host: docker\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body);
    }

    private static RawAttach connect(URI dockerHost, boolean tty, String request) throws IOException {
        SocketChannel channel = switch (dockerHost.getScheme()) {
            case "unix" -> {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                ch.connect(UnixDomainSocketAddress.of(dockerHost.getPath()));
                yield ch;
            }
            case "tcp", "http" -> SocketChannel.open(new InetSocketAddress(dockerHost.getHost(), dockerHost.getPort()));
            default -> throw new IOException("attaching needs a unix:// or tcp:// DOCKER_HOST, not " + dockerHost);
        };
        RawAttach attach = new RawAttach(channel, tty);
        try {
            attach.handshake(request);
        } catch (IOException e) {
            attach.close();
            throw e;
        }
        return attach;
    }

    private void handshake(String request) throws IOException {
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the Docker engine closed the attach connection: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > 16384) {
                throw new IOException("the Docker engine sent an oversized attach response");
            }
        }
        String status = head.toString(StandardCharsets.US_ASCII).lines().findFirst().orElse("");
        if (!status.contains(" 101 ") && !status.contains(" 200 ")) {
            throw new IOException("the Docker engine refused to attach: " + status);
        }
    }

    public void writeStdin(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** End of input: the container's stdin sees EOF; its output still comes back. */
    public void closeStdin() throws IOException {
        channel.shutdownOutput();
    }

    /** Copies the container's output to {@code output} until the container ends. */
    public void pump(Output output) throws IOException {
        byte[] buf = new byte[32 * 1024];
        if (tty) {
            int n;
            while ((n = in.read(buf)) > 0) {
                output.write(1, java.util.Arrays.copyOf(buf, n));
            }
            return;
        }
        byte[] header = new byte[8];
        while (readFully(header)) {
            int stream = header[0] == 2 ? 2 : 1;
            int length = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            byte[] payload = new byte[length];
            if (!readFully(payload)) {
                return;
            }
            output.write(stream, payload);
        }
    }

    private boolean readFully(byte[] b) throws IOException {
        int off = 0;
        while (off < b.length) {
            int n = in.read(b, off, b.length - off);
            if (n < 0) {
                return false;
            }
            off += n;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
