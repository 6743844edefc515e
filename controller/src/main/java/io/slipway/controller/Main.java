package io.slipway.controller;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The controller process: configuration from the environment, then {@link Controller#start}. */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        Controller controller;
        try {
            controller = Controller.start(ControllerConfig.fromEnv(System.getenv()));
        } catch (RuntimeException e) {
            log.error("controller failed to start: {}", e.getMessage(), e.getCause() == null ? null : e);
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(controller::close, "shutdown"));
        controller.prepareBuildsInBackground();
    }
}
