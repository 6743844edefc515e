package io.slipway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.slipway.api.Json;
import io.slipway.controller.testing.TestPlatform;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests: a real controller on a real PostgreSQL per test class, driven by the real
 * CLI as a user on the platform's host runs it (no login: the admin token under SLIPWAY_HOME).
 * After each test every app is destroyed again, through the CLI.
 */
abstract class AgainstPlatform {
    static TestPlatform platform;
    static SlipwayCli slipway;

    @BeforeAll
    static void startPlatform() {
        platform = TestPlatform.start();
        slipway = SlipwayCli.onHostOf(platform);
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @AfterEach
    void destroyEveryApp() {
        for (String app : appNames()) {
            slipway.ok("apps:destroy", app, "--confirm", app);
        }
        assertThat(appNames()).isEmpty();
    }

    /** What {@code slipway apps --json} lists, by name. */
    static List<String> appNames() {
        List<String> names = new ArrayList<>();
        json(slipway.ok("apps", "--json")).forEach(app -> names.add(app.get("name").asText()));
        return names;
    }

    /** What {@code slipway config --json} shows for the app. */
    static Map<String, String> configOf(String app) {
        Map<String, String> vars = new TreeMap<>();
        json(slipway.ok("config", "-a", app, "--json")).properties()
                .forEach(e -> vars.put(e.getKey(), e.getValue().asText()));
        return vars;
    }

    static JsonNode json(SlipwayCli.Result result) {
        return json(result.out());
    }

    static JsonNode json(String text) {
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + text, e);
        }
    }
}
