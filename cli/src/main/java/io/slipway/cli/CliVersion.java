package io.slipway.cli;

import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The CLI's own version, as Maven stamped it into the jar ({@code pom.properties}); {@code dev}
 * when running from unpackaged classes (an IDE, the module's own tests).
 */
final class CliVersion implements CommandLine.IVersionProvider {
    static final String VERSION = load();

    private static String load() {
        try (InputStream in = CliVersion.class.getResourceAsStream("/META-INF/maven/io.slipway/slipway-cli/pom.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version");
                if (version != null && !version.isBlank()) {
                    return version.strip();
                }
            }
        } catch (IOException e) {
            // Fall through: a version we cannot read is not worth failing a command for.
        }
        return "dev";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"slipway-cli/" + VERSION};
    }
}
