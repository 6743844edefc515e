package io.slipway.cli;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The real {@link Tty}: {@code stty} on {@code /dev/tty}, the controlling terminal, which the JDK
 * cannot switch to raw mode itself. The settings before raw mode are saved with {@code stty -g}
 * and given back verbatim, so whatever the user had (a custom erase key, say) survives.
 */
final class SttyTty implements Tty {
    private static final File DEV_TTY = new File("/dev/tty");
    private static final long STTY_TIMEOUT_SECONDS = 5;

    @Override
    public Optional<Size> size() {
        try {
            // "LINES COLUMNS", as stty prints it.
            String[] words = stty("size").strip().split("\\s+");
            return words.length == 2
                    ? Optional.of(new Size(Integer.parseInt(words[1]), Integer.parseInt(words[0])))
                    : Optional.empty();
        } catch (CliException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public Restore raw() {
        String saved = stty("-g").strip();
        stty("raw", "-echo");
        return () -> stty(saved);
    }

    private static String stty(String... arguments) {
        List<String> command = new java.util.ArrayList<>();
        command.add("stty");
        command.addAll(List.of(arguments));
        try {
            Process stty = new ProcessBuilder(command)
                    .redirectInput(DEV_TTY)
                    .redirectError(ProcessBuilder.Redirect.PIPE)
                    .start();
            String out = read(stty.getInputStream());
            String err = read(stty.getErrorStream());
            if (!stty.waitFor(STTY_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                stty.destroyForcibly();
                throw new CliException("stty " + String.join(" ", arguments) + " on /dev/tty did not finish");
            }
            if (stty.exitValue() != 0) {
                throw new CliException("stty " + String.join(" ", arguments) + " on /dev/tty failed: "
                        + ApiClient.oneLine(err));
            }
            return out;
        } catch (IOException e) {
            throw new CliException("cannot run stty on /dev/tty: " + ApiClient.oneLine(e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while running stty", e);
        }
    }

    private static String read(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
