package io.slipway.router;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests at a steady rate from the host to one router on 127.0.0.1, for bench/swarm.sh: each is
 * sent on its own, not after the previous one answered, so a stuck dyno does not slow the rate.
 * Bounded in count and time. Counts what came back: 2xx, other statuses, and errors (timeouts included).
 */
final class SteadyLoad implements AutoCloseable {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final HttpRequest request;
    private final int maxRequests;
    private final long deadline;
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger answered = new AtomicInteger();
    private final AtomicInteger ok = new AtomicInteger();
    private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();

    private SteadyLoad(HttpRequest request, int maxRequests, Duration maxTime) {
        this.request = request;
        this.maxRequests = maxRequests;
        this.deadline = System.nanoTime() + maxTime.toNanos();
    }

    /** {@code perSecond} GETs of {@code path} with Host {@code app}.localhost to 127.0.0.1:{@code port}, at most {@code maxRequests} in {@code maxTime}. */
    static SteadyLoad start(int port, String app, String path, int perSecond, int maxRequests, Duration maxTime) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Host", app + ".localhost").timeout(REQUEST_TIMEOUT).build();
        SteadyLoad load = new SteadyLoad(request, maxRequests, maxTime);
        load.timer.scheduleAtFixedRate(load::sendOne, 0, 1_000_000 / perSecond, TimeUnit.MICROSECONDS);
        return load;
    }

    private void sendOne() {
        if (sent.get() >= maxRequests || System.nanoTime() > deadline) {
            timer.shutdown();
            return;
        }
        sent.incrementAndGet();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                failures.computeIfAbsent(cause.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
            } else if (r.statusCode() / 100 == 2) {
                ok.incrementAndGet();
            } else {
                failures.computeIfAbsent("HTTP " + r.statusCode(), k -> new AtomicInteger()).incrementAndGet();
            }
            answered.incrementAndGet();
        });
    }

    /** Stops sending and waits for the requests on their way (each ends within its timeout). */
    Result stop() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        long until = System.nanoTime() + REQUEST_TIMEOUT.plusSeconds(5).toNanos();
        while (answered.get() < sent.get() && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        Map<String, Integer> byKind = new TreeMap<>();
        failures.forEach((k, v) -> byKind.put(k, v.get()));
        return new Result(sent.get(), ok.get(), byKind);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    record Result(int sent, int ok, Map<String, Integer> failures) {
        int failed() {
            return sent - ok;
        }

        double failedPercent() {
            return sent == 0 ? 0 : 100.0 * failed() / sent;
        }

        @Override
        public String toString() {
            return String.format("%d of %d requests failed (%.2f %%)%s", failed(), sent, failedPercent(),
                    failures.isEmpty() ? "" : " " + failures);
        }
    }
}
