package io.slipway.router;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The router process: settings from the environment, then serve until stopped. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
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
}
