package io.slipway.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command about one app has: the invocation, {@code -a/--app}, and the app that
 * resolves to. picocli reads the annotated fields of a superclass as its own.
 */
abstract class AppCommand implements Callable<Integer> {
    final Invocation inv;
    @Mixin
    AppOption appOption;
    @Spec
    CommandSpec spec;

    AppCommand(Invocation inv) {
        this.inv = inv;
    }

    /** {@code -a}, else {@code $SLIPWAY_APP}, else the app of this checkout's {@code slipway} remote; a usage error when none. */
    String app() {
        return inv.app(appOption.app, spec);
    }
}
