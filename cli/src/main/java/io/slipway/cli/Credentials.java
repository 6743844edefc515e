package io.slipway.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.slipway.api.Json;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * What {@code slipway login} saves: the platform's API URL and a token for it, in
 * {@code $SLIPWAY_HOME/credentials.json}, readable by its owner only (mode 0600).
 */
record Credentials(String apiUrl, String token) {

    Credentials {
        if (apiUrl == null || apiUrl.isBlank() || token == null || token.isBlank()) {
            throw new IllegalArgumentException("credentials need both api_url and token");
        }
    }

    /** Never prints the token: credentials end up in debug output and bug reports. */
    @Override
    public String toString() {
        return "Credentials[apiUrl=" + apiUrl + ", token=***]";
    }

    static Path file(Path home) {
        return home.resolve(SlipwayHome.CREDENTIALS_FILE);
    }

    /** The saved credentials, or empty when there are none; a damaged file is an error, not "logged out". */
    static Optional<Credentials> read(Path home) {
        Path file = file(home);
        try {
            byte[] bytes = Files.readAllBytes(file);
            Credentials credentials = Json.mapper().readValue(bytes, Credentials.class);
            if (credentials == null) {
                throw new CliException(file + " is empty: run `slipway login` again");
            }
            return Optional.of(credentials);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new CliException(file + " is not valid credentials (" + firstLine(e.getMessage())
                    + "): run `slipway login` again", e);
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes atomically: the file appears complete and already 0600, never briefly readable by others. */
    void save(Path home) {
        Path file = file(home);
        try {
            createPrivateDirectory(home);
            Path tmp = Files.createTempFile(home, ".credentials", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.write(tmp, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Removes the saved credentials; false when there were none. */
    static boolean delete(Path home) {
        Path file = file(home);
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new CliException("cannot remove " + file + ": " + e.getMessage(), e);
        }
    }

    private static void createPrivateDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // Someone made it between our check and our create: fine.
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
