package io.slipway.controller.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The host firewall chain against the real iptables: installed once however often it is installed, and removed whole. */
class HostFirewallTest {
    // A platform id of this test's own, so that no running platform's chain is touched.
    final HostFirewall firewall = new HostFirewall("fwtest01", Networks.bridgePrefix("fwtest01"));

    @AfterEach
    void cleanUp() {
        firewall.remove();
    }

    @Test
    void installingTwiceLeavesOneChainAndOneJumpAndRemovingLeavesNothing() throws Exception {
        assumeTrue(HostFirewall.whyNot().isEmpty(), () -> "needs root and iptables: " + HostFirewall.whyNot().orElse(""));

        assertThat(firewall.install().installed()).isTrue();
        assertThat(firewall.install().installed()).isTrue();

        assertThat(iptables("-S", "INPUT").stream().filter(r -> r.contains("-j SLIPWAY-fwtest01")))
                .containsExactly("-A INPUT -i swfwtes+ -j SLIPWAY-fwtest01");
        assertThat(iptables("-S", "SLIPWAY-fwtest01")).containsExactly(
                "-N SLIPWAY-fwtest01",
                "-A SLIPWAY-fwtest01 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
                "-A SLIPWAY-fwtest01 -j REJECT --reject-with icmp-admin-prohibited");
        assertThat(firewall.installed()).isTrue();

        firewall.remove();

        assertThat(firewall.installed()).isFalse();
        assertThat(String.join("\n", iptables("-S"))).doesNotContain("SLIPWAY-fwtest01");
    }

    @Test
    void theJumpMatchesEveryBridgeOfThePlatformAndNoOther() {
        assertThat(firewall.jump()).containsExactly("-i", "swfwtes+", "-j", "SLIPWAY-fwtest01");
        assertThat(Networks.appBridge("fwtest01", "shop")).startsWith("swfwtes").hasSize(15);
        assertThat(Networks.appBridge("fwtest01", "a".repeat(63))).hasSize(15);
        assertThat(Networks.appBridge("other001", "shop")).doesNotStartWith("swfwtes");
    }

    @Test
    void aHostWhereTheRulesCannotBeInstalledIsToldWhy() {
        assertThat(HostFirewall.whyNot(1000, true)).contains("the controller runs as uid 1000, and iptables needs root");
        assertThat(HostFirewall.whyNot(0, false)).contains("iptables is not installed (apt-get install iptables)");
        assertThat(HostFirewall.whyNot(0, true)).isEmpty();
    }

    private static List<String> iptables(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("iptables", "-w"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.lines().toList();
    }
}
