package io.slipway.controller.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the platform's containers from the host's own listeners. A container reaches the host
 * through its network's gateway (an address of the host), so anything bound to 0.0.0.0 there (a
 * database, the Docker API on TCP, another tenant's tooling) would answer it; Docker 20.10 has no
 * option against that. This installs an iptables chain of the platform's own, {@code SLIPWAY-<id>},
 * jumped to from INPUT for traffic that comes in on the platform's bridges ({@link
 * Networks#bridgePrefix()}{@code +}): replies to connections the host made (the port Docker
 * publishes on 127.0.0.1 for the router) pass, new connections are refused. Forwarded traffic to
 * the outside world (and DNS, which Docker's resolver sends from inside the container) is not
 * touched. It needs root and iptables; without them it says what is left open.
 */
public final class HostFirewall {
    private static final Logger log = LoggerFactory.getLogger(HostFirewall.class);

    private final String chain;
    private final String interfaces;

    /** What installing came to: rules in place, or why not. */
    public record Outcome(boolean installed, String detail) {}

    public HostFirewall(String platform, String bridgePrefix) {
        this.chain = "SLIPWAY-" + platform;
        this.interfaces = bridgePrefix + "+";
    }

    /** The chain's name, {@code SLIPWAY-<platform>}. */
    public String chain() {
        return chain;
    }

    /** The interfaces it guards, in iptables' spelling ({@code sw1a2b3+}). */
    public String interfaces() {
        return interfaces;
    }

    /** The chain's rules, in order (iptables arguments after {@code -A CHAIN}). */
    List<List<String>> chainRules() {
        return List.of(
                List.of("-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"),
                // Refused rather than dropped: an app that tries sees "no route to host" at once, not a hang.
                List.of("-j", "REJECT", "--reject-with", "icmp-admin-prohibited"));
    }

    /** The jump from INPUT to the chain (iptables arguments after {@code INPUT}). */
    List<String> jump() {
        return List.of("-i", interfaces, "-j", chain);
    }

    /**
     * Installs the rules, or replaces them when they are there already (a restart): the chain is
     * flushed and filled again and the jump added only when missing, so running it twice leaves
     * one set. Never throws: a host it cannot protect gets a warning, not a controller that does
     * not start.
     */
    public Outcome install() {
        Optional<String> missing = whyNot();
        if (missing.isPresent()) {
            String detail = "dynos and builds can reach services listening on the host's addresses (0.0.0.0) "
                    + "through their network's gateway: " + missing.get() + ". Run the controller as root with "
                    + "iptables, or refuse new connections from interfaces " + interfaces + " to the host yourself";
            log.warn("host firewall not installed: {}", detail);
            return new Outcome(false, detail);
        }
        try {
            if (iptables("-S", chain).exit() != 0) {
                check(iptables("-N", chain));
            }
            check(iptables("-F", chain));
            for (List<String> rule : chainRules()) {
                check(iptables(concat(List.of("-A", chain), rule)));
            }
            if (iptables(concat(List.of("-C", "INPUT"), jump())).exit() != 0) {
                check(iptables(concat(List.of("-I", "INPUT", "1"), jump())));
            }
            String detail = "new connections from " + interfaces + " to the host are refused (iptables chain " + chain + ")";
            log.info("host firewall installed: {}", detail);
            return new Outcome(true, detail);
        } catch (IllegalStateException e) {
            String detail = "dynos and builds can reach services listening on the host's addresses: " + e.getMessage();
            log.warn("host firewall not installed: {}", detail);
            return new Outcome(false, detail);
        }
    }

    /** Removes the jump and the chain (a platform that goes for good); nothing when they are not there. */
    public void remove() {
        if (whyNot().isPresent()) {
            return;
        }
        List<String> delete = concat(List.of("-D", "INPUT"), jump());
        int removed = 0;
        while (removed < 10 && iptables(delete).exit() == 0) {
            removed++; // more than one when something added it twice
        }
        if (iptables("-S", chain).exit() == 0) {
            iptables("-F", chain);
            iptables("-X", chain);
            log.info("host firewall chain {} removed", chain);
        }
    }

    /** True when the chain is installed and INPUT jumps to it. */
    public boolean installed() {
        return whyNot().isEmpty() && iptables("-S", chain).exit() == 0
                && iptables(concat(List.of("-C", "INPUT"), jump())).exit() == 0;
    }

    /** Why the rules cannot be installed here, if they cannot. */
    static Optional<String> whyNot() {
        return whyNot(uid(), iptablesBinary().isPresent());
    }

    static Optional<String> whyNot(int uid, boolean iptablesInstalled) {
        if (uid != 0) {
            return Optional.of("the controller runs as uid " + uid + ", and iptables needs root");
        }
        if (!iptablesInstalled) {
            return Optional.of("iptables is not installed (apt-get install iptables)");
        }
        return Optional.empty();
    }

    private static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return -1;
        }
    }

    private static Optional<Path> iptablesBinary() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin"));
        return dirs.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, "iptables")).filter(Files::isExecutable).findFirst();
    }

    private record Run(int exit, String output) {}

    private static Run iptables(String... args) {
        return iptables(List.of(args));
    }

    /** {@code -w}: wait for the xtables lock, which dockerd takes too. */
    private static Run iptables(List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(iptablesBinary().map(Path::toString).orElse("iptables"));
        command.add("-w");
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, String.join(" ", command) + " did not end within 30 s");
            }
            return new Run(p.exitValue(), String.join(" ", command) + ": " + out);
        } catch (IOException e) {
            return new Run(-1, String.join(" ", command) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(-1, String.join(" ", command) + ": interrupted");
        }
    }

    private static void check(Run run) {
        if (run.exit() != 0) {
            throw new IllegalStateException(run.output());
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
