package io.slipway.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real {@code git} binary, for tests that need a real checkout. */
final class Git {
    private final Path dir;

    private Git(Path dir) {
        this.dir = dir;
    }

    static Git init(Path dir) throws IOException, InterruptedException {
        Git git = new Git(dir);
        git.run("init", "-q");
        return git;
    }

    Git remote(String name, String url) throws IOException, InterruptedException {
        run("remote", "add", name, url);
        return this;
    }

    private void run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        builder.environment().put("HOME", dir.toString());
        Process p = builder.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out.toString(StandardCharsets.UTF_8));
        }
    }
}
