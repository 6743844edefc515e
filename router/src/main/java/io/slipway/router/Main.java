package io.slipway.router;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The router process: settings from the environment, then serve until stopped. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--train")) {
            train();
            return;
        }
        Router router;
        try {
            router = Router.start(RouterConfig.fromEnv(System.getenv()));
        } catch (RuntimeException e) {
            log.error("router failed to start: {}", e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(router::close, "shutdown"));
    }

    /** {@link Training}: exits 0 once done, so that the JVM writes its class archive. */
    private static void train() {
        try {
            Training.run(RouterConfig.fromEnv(System.getenv()));
        } catch (Exception e) {
            log.error("router training run failed: {}", e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }
}
