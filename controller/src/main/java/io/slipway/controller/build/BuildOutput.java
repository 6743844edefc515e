package io.slipway.controller.build;

/**
 * Where a build's lines go as they happen: the pushing git client ({@code remote:} lines), the
 * stored build output, the log. Lines come without their newline.
 */
@FunctionalInterface
public interface BuildOutput {
    BuildOutput NULL = line -> { };

    void line(String line);

    /** A Heroku-style step header: {@code -----> Building on the Slipway stack}. */
    default void step(String text) {
        line("-----> " + text);
    }

    /** A Heroku-style detail line, indented under the last step. */
    default void detail(String text) {
        line("       " + text);
    }
}
