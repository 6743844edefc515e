package io.slipway.cli;

import io.slipway.api.NodeUpdate;
import io.slipway.api.NodeView;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code nodes} topic: the machines dynos run on, and draining one (Swarm mode). */
final class NodesCommands {
    private NodesCommands() {}

    static void register(CommandLine cli, Invocation inv) {
        cli.addSubcommand(new ListNodes(inv));
        cli.addSubcommand(new Drain(inv));
        cli.addSubcommand(new Activate(inv));
    }

    @Command(name = "nodes", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "List the machines dynos run on: Swarm nodes, or the one local engine in docker mode.")
    static final class ListNodes implements Callable<Integer> {
        private final Invocation inv;

        @Option(names = "--json", description = "Print the API's JSON.")
        boolean json;

        ListNodes(Invocation inv) {
            this.inv = inv;
        }

        @Override
        public Integer call() {
            return inv.list("/nodes", json, NodeView[].class, "No nodes", "Nodes",
                    List.of("NODE", "ID", "STATE", "AVAILABILITY", "ROLE", "ENGINE", "CPUS", "MEMORY", "DYNOS"),
                    node -> List.of(node.hostname(), shortId(node.id()), node.state(), node.availability(),
                            node.leader() ? node.role() + " (leader)" : node.role(), node.engineVersion(),
                            cpus(node.cpus()), memory(node.memoryBytes()), Integer.toString(node.dynos())));
        }
    }

    @Command(name = "nodes:drain", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Take a node out of service (Swarm mode): Swarm moves its dynos to the other nodes.")
    static final class Drain extends SetAvailability {
        Drain(Invocation inv) {
            super(inv, "drain");
        }
    }

    @Command(name = "nodes:activate", mixinStandardHelpOptions = true, versionProvider = CliVersion.class,
            description = "Put a drained or paused node back in service (Swarm mode): new dynos may start on it.")
    static final class Activate extends SetAvailability {
        Activate(Invocation inv) {
            super(inv, "active");
        }
    }

    /** What {@code nodes:drain NODE} and {@code nodes:activate NODE} share: PATCH the node's availability. */
    abstract static class SetAvailability implements Callable<Integer> {
        private final Invocation inv;
        private final String availability;

        @Parameters(index = "0", paramLabel = "NODE", description = "The node's host name or id, as `slipway nodes` shows.")
        String node;

        SetAvailability(Invocation inv, String availability) {
            this.inv = inv;
            this.availability = availability;
        }

        @Override
        public Integer call() {
            ApiClient api = inv.api();
            String verb = availability.equals("drain") ? "Draining" : "Activating";
            Progress.run(inv, verb + " node " + ConfigAssignments.printable(node),
                    () -> api.patch("/nodes/" + ApiClient.segment(node), new NodeUpdate(availability)),
                    done -> availability.equals("drain") ? "done, its dynos move to the other nodes" : "done");
            return 0;
        }
    }

    /** Swarm's ids are 25 characters; 12 tell them apart, as {@code docker node ls} shows. */
    static String shortId(String id) {
        return id == null ? "" : id.length() > 12 ? id.substring(0, 12) : id;
    }

    static String cpus(double cpus) {
        return cpus == Math.rint(cpus) ? Long.toString((long) cpus) : String.format(Locale.ROOT, "%.1f", cpus);
    }

    static String memory(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
