package io.slipway.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * End-to-end tests that need a released app: {@code shop}, built by a real push of the hello
 * buildpack once per test class (a build per test would cost minutes), kept between tests while
 * every other app a test makes is destroyed after it.
 */
abstract class AgainstDeployedShop extends AgainstPlatform {
    @BeforeAll
    static void deployShop() {
        Deploys.createApp(slipway, "shop");
        Deploys.push(platform, Deploys.checkout("one"), "shop");
    }

    @Override
    @AfterEach
    void destroyEveryApp() {
        for (String app : appNames()) {
            if (!app.equals("shop")) {
                slipway.ok("apps:destroy", app, "--confirm", app);
            }
        }
    }

    @AfterAll
    static void destroyShop() {
        for (String app : appNames()) {
            slipway.ok("apps:destroy", app, "--confirm", app);
        }
    }
}
