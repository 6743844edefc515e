package io.slipway.cli;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A terminal for tests: a size the test sets, and a record of raw mode entered and restored. */
final class FakeTty implements Tty {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private volatile Size size;

    FakeTty(int columns, int lines) {
        this.size = new Size(columns, lines);
    }

    void resize(int columns, int lines) {
        size = new Size(columns, lines);
    }

    /** {@code raw}, then {@code restored}: what happened to the terminal, in order. */
    List<String> events() {
        return List.copyOf(events);
    }

    boolean isRaw() {
        return events.size() % 2 == 1;
    }

    @Override
    public Optional<Size> size() {
        return Optional.of(size);
    }

    @Override
    public Restore raw() {
        events.add("raw");
        return () -> events.add("restored");
    }
}
