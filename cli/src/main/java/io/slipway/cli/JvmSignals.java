package io.slipway.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link Signals} of the real process, through {@code sun.misc.Signal} (module jdk.unsupported,
 * there on every JDK this runs on). Reached reflectively so the build stays free of
 * internal-API warnings; a JVM without it, or a signal the platform does not know, just hears
 * nothing, which costs a resize or a clean Ctrl-C, never the command.
 */
final class JvmSignals implements Signals {
    private final Class<?> signalClass;
    private final Class<?> handlerClass;
    private final Method handle;

    private JvmSignals(Class<?> signalClass, Class<?> handlerClass, Method handle) {
        this.signalClass = signalClass;
        this.handlerClass = handlerClass;
        this.handle = handle;
    }

    /** The process's signals, or {@link Signals#NONE} when this JVM does not offer them. */
    static Signals create() {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            return new JvmSignals(signal, handler, signal.getMethod("handle", signal, handler));
        } catch (ReflectiveOperationException | LinkageError e) {
            return Signals.NONE;
        }
    }

    @Override
    public Registration on(String name, Runnable action) {
        Object signal;
        Object previous;
        try {
            signal = signalClass.getConstructor(String.class).newInstance(name);
            previous = handle.invoke(null, signal, proxy(action));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Unknown here, or reserved by the JVM: the command runs without hearing it.
            return () -> { };
        }
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                try {
                    handle.invoke(null, signal, previous);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // Nothing better to put back; the process is on its way out in any case.
                }
            }
        };
    }

    private Object proxy(Runnable action) {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "handle" -> {
                action.run();
                yield null;
            }
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "slipway signal handler";
            default -> throw new UnsupportedOperationException(method.getName());
        };
        return Proxy.newProxyInstance(JvmSignals.class.getClassLoader(), new Class<?>[] {handlerClass}, handler);
    }
}
