package io.slipway.cli;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Signals a test fires by hand, as the terminal would on Ctrl-C or a resize. */
final class FakeSignals implements Signals {
    private final Map<String, Runnable> handlers = new ConcurrentHashMap<>();

    @Override
    public Registration on(String signal, Runnable handler) {
        handlers.put(signal, handler);
        return () -> handlers.remove(signal, handler);
    }

    /** Delivers {@code signal} as the JVM would: on another thread; false when nothing listens for it. */
    boolean fire(String signal) throws InterruptedException {
        Runnable handler = handlers.get(signal);
        if (handler == null) {
            return false;
        }
        Thread thread = new Thread(handler, "fake-signal-" + signal);
        thread.start();
        thread.join();
        return true;
    }

    boolean listening(String signal) {
        return handlers.containsKey(signal);
    }
}
