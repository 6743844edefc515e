package io.slipway.cli;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Heroku's action line: {@code Creating shop... } printed before the request, {@code done}
 * after it, or {@code !} when it failed (the reason follows on stderr).
 */
final class Progress {
    private Progress() {}

    static <T> T run(Invocation inv, String action, Supplier<T> work, Function<T, String> outcome) {
        inv.out().print(action + "... ");
        inv.out().flush();
        T result;
        try {
            result = work.get();
        } catch (RuntimeException e) {
            inv.out().print("!\n");
            inv.out().flush();
            throw e;
        }
        inv.out().print(outcome.apply(result) + "\n");
        inv.out().flush();
        return result;
    }
}
