package io.slipway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.slipway.api.ApiError;
import io.slipway.api.Json;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;

/**
 * The platform's JSON API over {@link HttpClient}. Every failure leaves here as a
 * {@link CliException} whose message a person can act on: the platform's own error message,
 * the request id for server errors, or what to do when the platform cannot be reached.
 */
final class ApiClient implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final String baseUrl;
    private final String token;
    private final String tokenSource;
    private final HttpClient http;
    private final ObjectMapper json = Json.mapper();

    private ApiClient(String baseUrl, String token, String tokenSource) {
        this.baseUrl = ApiTarget.normalize(baseUrl);
        this.token = token;
        this.tokenSource = tokenSource;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    static ApiClient authenticated(ApiTarget target) {
        return new ApiClient(target.url(), target.token(), target.tokenSource());
    }

    /** For the endpoints that need no token ({@code /healthz}). */
    static ApiClient anonymous(String url) {
        return new ApiClient(url, null, null);
    }

    String baseUrl() {
        return baseUrl;
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    JsonNode patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    <T> T convert(JsonNode node, Class<T> type) {
        try {
            return json.treeToValue(node, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CliException("the platform at " + baseUrl + " answered with an unexpected "
                    + type.getSimpleName() + ": " + oneLine(e.getMessage()), e);
        }
    }

    /** One exchange whose status the caller judges itself (health checks answer 503 with a body). */
    Response exchange(String method, String path, Object body) {
        HttpResponse<byte[]> response = send(request(method, path, body, REQUEST_TIMEOUT, "application/json"),
                HttpResponse.BodyHandlers.ofByteArray(), method, path);
        return new Response(response.statusCode(), response.body(),
                response.headers().firstValue("X-Request-Id").orElse(null));
    }

    /**
     * A {@code GET} whose body is read as it arrives (a log stream); {@code endless} when it may
     * stay open for as long as the user watches, so no request timeout applies. Any status but
     * 2xx becomes the platform's message as a {@link CliException}, as for JSON requests.
     */
    InputStream stream(String path, boolean endless) {
        HttpResponse<InputStream> response = send(request("GET", path, null, endless ? null : REQUEST_TIMEOUT, "text/plain"),
                HttpResponse.BodyHandlers.ofInputStream(), "GET", path);
        if (response.statusCode() >= 200 && response.statusCode() < 300) {
            return response.body();
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            body = new byte[0];
        }
        throw failure(new Response(response.statusCode(), body,
                response.headers().firstValue("X-Request-Id").orElse(null)), "GET", path);
    }

    /**
     * Opens a WebSocket on the API ({@code ws://} beside {@code http://}), authenticated as every
     * request is. A refused upgrade (no such app, a rejected token) becomes the platform's message.
     */
    WebSocket openWebSocket(String path, WebSocket.Listener listener) {
        URI uri = uri(path);
        URI ws = URI.create((uri.getScheme().equals("https") ? "wss" : "ws") + uri.toString().substring(uri.getScheme().length()));
        WebSocket.Builder builder = http.newWebSocketBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .header("User-Agent", "slipway-cli/" + CliVersion.VERSION);
        if (token != null) {
            try {
                builder.header("Authorization", "Bearer " + token);
            } catch (IllegalArgumentException e) {
                throw badToken(e);
            }
        }
        try {
            return builder.buildAsync(ws, listener).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof WebSocketHandshakeException refused) {
                HttpResponse<?> answer = refused.getResponse();
                byte[] body = answer.body() instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : new byte[0];
                throw failure(new Response(answer.statusCode(), body,
                        answer.headers().firstValue("X-Request-Id").orElse(null)), "GET", path);
            }
            throw connectionFailure(cause, "GET", path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while connecting to the platform at " + baseUrl, e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String method, String path) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw connectionFailure(e, method, path);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for the platform at " + baseUrl, e);
        }
    }

    private CliException connectionFailure(Throwable e, String method, String path) {
        if (e instanceof HttpConnectTimeoutException) {
            return unreachable(e);
        }
        if (e instanceof HttpTimeoutException) {
            return new CliException("the platform at " + baseUrl + " did not answer " + method + " " + path
                    + " within " + REQUEST_TIMEOUT.toSeconds() + " s", e);
        }
        if (causedBy(e, ConnectException.class) || causedBy(e, UnresolvedAddressException.class)) {
            return unreachable(e);
        }
        return new CliException("lost the connection to the platform at " + baseUrl + " during " + method + " "
                + path + ": " + oneLine(String.valueOf(e.getMessage())), e);
    }

    private JsonNode send(String method, String path, Object body) {
        return body(exchange(method, path, body), method, path);
    }

    /** The JSON of a successful response; any other status becomes the platform's message as a {@link CliException}. */
    JsonNode body(Response response, String method, String path) {
        if (response.status() >= 200 && response.status() < 300) {
            return parse(response, method, path);
        }
        throw failure(response, method, path);
    }

    private URI uri(String path) {
        URI uri;
        try {
            uri = URI.create(baseUrl + path);
        } catch (IllegalArgumentException e) {
            throw new CliException("not a valid API URL: " + baseUrl + " (" + oneLine(e.getMessage()) + ")", e);
        }
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
                || uri.getHost() == null) {
            throw new CliException("not a valid API URL: " + baseUrl + " (expected http://HOST:PORT or https://HOST)");
        }
        return uri;
    }

    /** @param timeout how long the answer may take to start; null for none */
    private HttpRequest request(String method, String path, Object body, Duration timeout, String accept) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path))
                .header("Accept", accept)
                .header("User-Agent", "slipway-cli/" + CliVersion.VERSION);
        if (timeout != null) {
            builder.timeout(timeout);
        }
        if (token != null) {
            try {
                builder.header("Authorization", "Bearer " + token);
            } catch (IllegalArgumentException e) {
                throw badToken(e);
            }
        }
        if (body == null) {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            builder.header("Content-Type", "application/json");
            builder.method(method, HttpRequest.BodyPublishers.ofByteArray(write(body)));
        }
        return builder.build();
    }

    private CliException badToken(IllegalArgumentException e) {
        return new CliException("the API token" + (tokenSource == null ? "" : " from " + tokenSource)
                + " contains characters that cannot be sent in an HTTP header", e);
    }

    private byte[] write(Object body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode request body", e);
        }
    }

    /** The body as JSON whatever the status (a 503 health check still says what is down). */
    JsonNode parse(Response response, String method, String path) {
        if (response.body().length == 0) {
            return json.nullNode();
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new CliException("the platform at " + baseUrl + " answered " + method + " " + path
                    + " with something that is not JSON (HTTP " + response.status() + ")", e);
        }
    }

    private CliException failure(Response response, String method, String path) {
        if (response.status() == 401) {
            return new CliException("the platform at " + baseUrl + " rejected the API token"
                    + (tokenSource == null ? "" : " from " + tokenSource) + ": run `slipway login`");
        }
        ApiError error = null;
        try {
            error = json.readValue(response.body(), ApiError.class);
        } catch (IOException | RuntimeException e) {
            // Not our error shape (a proxy's HTML page, say): fall through to the status line.
        }
        String message = error == null || error.message() == null || error.message().isBlank()
                ? "the platform at " + baseUrl + " answered HTTP " + response.status() + " to " + method + " " + path
                : oneLine(error.message());
        String requestId = error != null && error.requestId() != null ? error.requestId() : response.requestId();
        if (response.status() >= 500 && requestId != null) {
            message += " (request id " + requestId + ")";
        }
        return new CliException(message);
    }

    private CliException unreachable(Throwable cause) {
        return new CliException("cannot reach the platform at " + baseUrl + ": is it running? (./slipway up)", cause);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Percent-encodes one path segment, so an odd app name cannot change which resource is meant. */
    static String segment(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        http.close();
    }

    /** @param requestId the {@code X-Request-Id} header, which ties a failure to the controller's log */
    record Response(int status, byte[] body, String requestId) {}
}
