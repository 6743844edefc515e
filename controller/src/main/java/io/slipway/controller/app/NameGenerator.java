package io.slipway.controller.app;

import java.util.List;
import java.util.random.RandomGenerator;

/** Heroku-style generated names ({@code sleepy-harbor-4821}) for {@code apps:create} without a name. */
final class NameGenerator {
    private static final List<String> ADJECTIVES = List.of(
            "amber", "brave", "calm", "cosmic", "crisp", "dapper", "eager", "fancy", "gentle", "glowing",
            "hidden", "jolly", "lively", "lucid", "mellow", "nimble", "polar", "quiet", "rapid", "serene",
            "shiny", "sleepy", "snowy", "sturdy", "sunny", "swift", "tidy", "vast", "warm", "young");
    private static final List<String> NOUNS = List.of(
            "anchor", "bay", "beacon", "breeze", "brook", "canyon", "cove", "delta", "dune", "fjord",
            "forest", "garden", "glacier", "harbor", "island", "lagoon", "meadow", "mesa", "ocean", "peak",
            "reef", "ridge", "river", "shore", "sound", "spring", "summit", "tide", "valley", "wave");

    private final RandomGenerator random;

    NameGenerator(RandomGenerator random) {
        this.random = random;
    }

    AppName next() {
        return new AppName(ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "-"
                + NOUNS.get(random.nextInt(NOUNS.size())) + "-" + (1000 + random.nextInt(9000)));
    }
}
