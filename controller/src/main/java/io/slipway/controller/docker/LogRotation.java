package io.slipway.controller.docker;

import com.github.dockerjava.api.model.LogConfig;
import java.util.Map;

/**
 * How the engine rotates the json-file log of every container the platform starts: at most
 * {@code maxFiles} files of {@code maxSize} each ({@code 10m} x 3 unless told), so a chatty dyno
 * cannot fill the host's disk. The platform's own log of an app is kept apart (SLIPWAY_HOME/logs).
 */
public record LogRotation(String maxSize, int maxFiles) {
    public static final LogRotation DEFAULT = new LogRotation("10m", 3);

    public LogRotation {
        if (maxSize == null || !maxSize.matches("[1-9][0-9]*[kmg]")) {
            throw new IllegalArgumentException("SLIPWAY_CONTAINER_LOG_MAX_SIZE must be a size like 10m, 512k or 1g, got '"
                    + maxSize + "'");
        }
        if (maxFiles < 1 || maxFiles > 100) {
            throw new IllegalArgumentException("SLIPWAY_CONTAINER_LOG_MAX_FILES must be a whole number from 1 to 100, got "
                    + maxFiles);
        }
    }

    /** The engine's log settings for one container. */
    public LogConfig logConfig() {
        return new LogConfig(LogConfig.LoggingType.JSON_FILE,
                Map.of("max-size", maxSize, "max-file", Integer.toString(maxFiles)));
    }
}
