package io.slipway.keys;

import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The password of the platform's image registry in Swarm mode, {@code $SLIPWAY_HOME/registry-password}:
 * the user {@code slipway} pushes and the nodes pull with it. 256 random bits, as hex.
 */
public final class RegistryPassword {
    public static final String FILE = "registry-password";

    private RegistryPassword() {}

    public static String readOrCreate(Path home) {
        return HexFormat.of().formatHex(PlatformSecret.readOrCreate(home.resolve(FILE), "registry password",
                "remove it and the registry container slipway-<platform>-registry on the manager; both are made "
                        + "again at the next start"));
    }
}
