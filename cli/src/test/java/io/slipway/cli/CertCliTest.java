package io.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.controller.certs.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code certs}, {@code certs:add}, {@code certs:remove} and {@code certs:redirect} against a real platform, with files a user has. */
class CertCliTest extends AgainstPlatform {
    static final TestCertificates ca = new TestCertificates("cli");

    @TempDir
    Path dir;

    @BeforeEach
    void shop() {
        slipway.ok("apps:create", "shop");
        slipway.ok("domains:add", "-a", "shop", "www.shop.test");
    }

    @Test
    void anAddedCertificateIsListedUntilItIsRemoved() throws Exception {
        TestCertificates.Issued c = ca.issue("www.shop.test");
        Files.writeString(dir.resolve("server.crt"), c.chainPem());
        Files.writeString(dir.resolve("server.key"), c.keyPem());
        assertThat(slipway.ok("certs:add", dir.resolve("server.crt").toString(), dir.resolve("server.key").toString(), "-a", "shop").out())
                .isEqualTo("Adding the certificate to shop... done, serving [\"www.shop.test\"]\n");
        assertThat(slipway.ok("certs", "-a", "shop").out()).contains("Domains:  www.shop.test").contains("cli test CA")
                .contains("Source:   uploaded").contains("Redirect: off");
        assertThat(json(slipway.ok("certs", "-a", "shop", "--json")).get(0).get("domains").get(0).asText()).isEqualTo("www.shop.test");

        slipway.ok("certs:redirect", "on", "-a", "shop");
        assertThat(slipway.ok("certs:info", "-a", "shop").out()).contains("Redirect: on");

        assertThat(slipway.ok("certs:remove", "-a", "shop").out()).isEqualTo("Removing the certificate of shop... done\n");
        assertThat(json(slipway.ok("certs", "-a", "shop", "--json"))).isEmpty();
    }

    @Test
    void aCertificateAndKeyGivenTheWrongWayRoundSaysSo() throws Exception {
        TestCertificates.Issued c = ca.issue("www.shop.test");
        Files.writeString(dir.resolve("server.crt"), c.chainPem());
        Files.writeString(dir.resolve("server.key"), c.keyPem());
        slipway.run("certs:add", dir.resolve("server.key").toString(), dir.resolve("server.crt").toString(), "-a", "shop")
                .failsWith(1, "private key was given where the certificate goes");
        slipway.run("certs:add", dir.resolve("missing.crt").toString(), dir.resolve("server.key").toString(), "-a", "shop")
                .failsWith(1, "cannot read the certificate file");
        assertThat(json(slipway.ok("certs", "-a", "shop", "--json"))).isEmpty();
    }
}
