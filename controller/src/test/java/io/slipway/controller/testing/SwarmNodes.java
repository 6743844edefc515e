package io.slipway.controller.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import io.slipway.controller.build.BuildOutput;
import io.slipway.controller.build.LocalImages;
import io.slipway.controller.docker.DockerEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several Docker engines on this one machine, joined into a Swarm, for the multi-node tests
 * (issue 16). Each node is a container of the image {@code src/test/resources/swarm-node} (Debian's
 * docker.io on the stacks' base image, built locally like the stacks) running its own dockerd, on a
 * network made for this Swarm only: Swarm's traffic between nodes stays on it. The host reaches each
 * node's engine through a unix socket in a directory it mounts, never over a network. node-1 is the
 * manager; the others join as workers.
 *
 * <p>Why not {@code --privileged}: where the host's own capability bounding set lacks one (this
 * machine has no CAP_SYS_RESOURCE), runc refuses a privileged container. The node gets every
 * capability the host has instead, with seccomp and AppArmor off, and the host's cgroup tree, each
 * node's dockerd under a cgroup parent of its own.
 */
public final class SwarmNodes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SwarmNodes.class);
    private static final String LABEL = "io.slipway.test.swarm";
    /** From any module of the project (the router's tests use this harness too). */
    private static final Path NODE_IMAGE_DIR = Path.of("..", "controller", "src", "test", "resources", "swarm-node")
            .toAbsolutePath().normalize();
    private static final Path BUILDPACKS = Path.of("..", "buildpacks").toAbsolutePath().normalize();
    /** The port a router on a node listens on, published by the node container on the host's 127.0.0.1. */
    public static final int ROUTER_PORT = 8080;
    /** Docker 20.10's capability names by bit, as far as it knows them (38 and up it calls unknown). */
    private static final List<String> CAPABILITY_BITS = List.of("CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER",
            "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST",
            "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE",
            "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD",
            "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
            "BLOCK_SUSPEND", "AUDIT_READ");

    private final DockerEngine host;
    private final String id;
    private final Path sockets;
    private final String network;
    private final List<String> containers = new ArrayList<>();
    private final List<DockerEngine> engines = new ArrayList<>();

    private SwarmNodes(DockerEngine host, String id, Path sockets) {
        this.host = host;
        this.id = id;
        this.sockets = sockets;
        this.network = "slipway-swarm-" + id;
    }

    /** {@code count} engines in one Swarm, all Ready; throws (and removes what it made) otherwise. */
    public static SwarmNodes start(int count) {
        return start(count, true);
    }

    /** {@code count} engines that answer, each on its own (no Swarm), as machines with Docker on them. */
    public static SwarmNodes standalone(int count) {
        return start(count, false);
    }

    private static SwarmNodes start(int count, boolean swarm) {
        DockerEngine host = DockerEngine.connect();
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        Path sockets;
        try {
            sockets = Files.createTempDirectory(Path.of("/tmp"), "sw-"); // short: a socket path has at most 107 bytes
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SwarmNodes nodes = new SwarmNodes(host, id, sockets);
        try {
            nodes.startNodes(count, nodeImage(host));
            if (swarm) {
                nodes.joinSwarm();
            }
            return nodes;
        } catch (RuntimeException e) {
            nodes.close();
            throw e;
        }
    }

    private static String nodeImage(DockerEngine host) {
        LocalImages images = new LocalImages(host, BUILDPACKS.resolve("stack").resolve("base"), "slipway/",
                "the Swarm node image", "controller/src/test/resources/swarm-node/", "test",
                List.of(new LocalImages.Image("swarm node", NODE_IMAGE_DIR, "test-swarm-node")));
        return images.ensure(line -> log.info("swarm node image: {}", line)).get("test-swarm-node");
    }

    private void startNodes(int count, String image) {
        DockerClient docker = host.client();
        docker.createNetworkCmd().withName(network).withDriver("bridge").withLabels(Map.of(LABEL, id)).exec();
        // The platform's registry in Swarm mode speaks plain HTTP on the manager's address in this network.
        String subnet = docker.inspectNetworkCmd().withNetworkId(network).exec().getIpam().getConfig().getFirst().getSubnet();
        for (int n = 1; n <= count; n++) {
            Path dir = sockets.resolve("n" + n);
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            HostConfig hostConfig = HostConfig.newHostConfig()
                    .withNetworkMode(network)
                    .withCapAdd(Capability.ALL)
                    .withCapDrop(missingCapabilities().toArray(Capability[]::new))
                    .withSecurityOpts(List.of("seccomp=unconfined", "apparmor=unconfined"))
                    // /proc/sys is read-only in a container that is not privileged: what dockerd would set, set here
                    .withSysctls(Map.of("net.ipv4.ip_forward", "1"))
                    .withBinds(new Bind("/sys/fs/cgroup", new Volume("/sys/fs/cgroup")),
                            new Bind(dir.toString(), new Volume("/run/slipway-node")))
                    .withTmpFs(Map.of("/run", "", "/tmp", ""))
                    // A router in this node's network namespace (SwarmRouter) takes requests from the host here.
                    .withPortBindings(new PortBinding(Ports.Binding.bindIp("127.0.0.1"),
                            ExposedPort.tcp(ROUTER_PORT)));
            CreateContainerResponse c = docker.createContainerCmd(image)
                    .withName(network + "-node-" + n)
                    .withHostName("node-" + n)
                    .withExposedPorts(ExposedPort.tcp(ROUTER_PORT))
                    .withLabels(Map.of(LABEL, id))
                    .withCmd("--cgroup-parent=/" + network + "-node-" + n, "--insecure-registry=" + subnet)
                    .withHostConfig(hostConfig)
                    .exec();
            containers.add(c.getId());
            docker.startContainerCmd(c.getId()).exec();
            engines.add(DockerEngine.at("unix://" + dir.resolve("docker.sock")));
        }
        for (int n = 1; n <= count; n++) {
            awaitEngine(n);
        }
    }

    private void awaitEngine(int n) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                engines.get(n - 1).client().pingCmd().exec();
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the dockerd of swarm node-" + n + " did not answer within 60 s: "
                            + e.getMessage() + "; see `docker logs " + network + "-node-" + n + "`");
                }
                sleep(200);
            }
        }
    }

    private void joinSwarm() {
        DockerClient manager = manager().client();
        manager.initializeSwarmCmd(new com.github.dockerjava.api.model.SwarmSpec()).withAdvertiseAddr("eth0").withListenAddr("0.0.0.0:2377").exec();
        String token = manager.inspectSwarmCmd().exec().getJoinTokens().getWorker();
        for (int n = 2; n <= engines.size(); n++) {
            engines.get(n - 1).client().joinSwarmCmd().withRemoteAddrs(List.of("node-1:2377")).withJoinToken(token)
                    .withListenAddr("0.0.0.0:2377").withAdvertiseAddr("eth0").exec();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (readyNodes() < engines.size()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + readyNodes() + " of " + engines.size() + " swarm nodes Ready after 60 s");
            }
            sleep(200);
        }
        log.info("swarm {}: {} nodes Ready", id, engines.size());
    }

    /** How many nodes the manager sees Ready. */
    public long readyNodes() {
        return manager().client().listSwarmNodesCmd().exec().stream()
                .filter(node -> node.getStatus() != null && "ready".equalsIgnoreCase(String.valueOf(node.getStatus().getState())))
                .count();
    }

    /** The prefix of every name this harness gives the host's engine and cgroups ({@code slipway-swarm-<id>}). */
    public String prefix() {
        return network;
    }

    /** node-1's engine, the Swarm's manager. */
    public DockerEngine manager() {
        return engines.getFirst();
    }

    /** The network the nodes are on, made for this Swarm only. */
    public String network() {
        return network;
    }

    /** Node {@code n}'s container on the host's engine: another container may join its network namespace. */
    public String container(int n) {
        return containers.get(n - 1);
    }

    /** The host's port on 127.0.0.1 that reaches {@link #ROUTER_PORT} in node {@code n} (a node's restart changes it). */
    public int routerPort(int n) {
        var bindings = host.client().inspectContainerCmd(containers.get(n - 1)).exec().getNetworkSettings().getPorts()
                .getBindings().get(ExposedPort.tcp(ROUTER_PORT));
        return Integer.parseInt(bindings[0].getHostPortSpec());
    }

    /** The host's engine, which runs the nodes. */
    public DockerEngine host() {
        return host;
    }

    /** Node {@code n}'s engine (1-based, as the node's host name says). */
    public DockerEngine engine(int n) {
        return engines.get(n - 1);
    }

    public int size() {
        return engines.size();
    }

    /** Copies an image of the host's engine into every node. */
    public void loadImage(String image) {
        for (int n = 1; n <= engines.size(); n++) {
            loadImage(n, image);
        }
    }

    /**
     * Copies an image of the host's engine into node {@code n}: what a machine's operator does once
     * for the stack and service images (the platform's registry carries the apps' images).
     */
    public void loadImage(int n, String image) {
        try (InputStream saved = host.client().saveImageCmd(image).exec()) {
            engines.get(n - 1).client().loadImageCmd(saved).exec();
        } catch (IOException e) {
            throw new UncheckedIOException("could not copy " + image + " into swarm node-" + n + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stops node {@code n}'s Docker engine as {@code systemctl stop docker} does: dockerd stops its
     * containers and exits. Its {@code /var/lib/docker} is a volume of the node, kept for {@link #startEngine}.
     */
    public void stopEngine(int n) {
        host.client().stopContainerCmd(containers.get(n - 1)).withTimeout(60).exec();
    }

    /** Starts node {@code n}'s engine again on what it had, once it answers. */
    public void startEngine(int n) {
        host.client().startContainerCmd(containers.get(n - 1)).exec();
        awaitEngine(n);
    }

    /** Stops node {@code n}'s container at once, as a machine that dies. */
    public void kill(int n) {
        host.client().killContainerCmd(containers.get(n - 1)).exec();
    }

    /** Removes the nodes (their engines and everything in them), the network, the sockets and the nodes' cgroups. */
    @Override
    public void close() {
        engines.forEach(DockerEngine::close);
        for (String c : containers) {
            try {
                host.client().removeContainerCmd(c).withForce(true).withRemoveVolumes(true).exec();
            } catch (RuntimeException gone) {
                // already removed
            }
        }
        try {
            host.client().removeNetworkCmd(network).exec();
        } catch (RuntimeException gone) {
            // never made, or already removed
        }
        removeCgroups();
        deleteTree(sockets);
        host.close();
    }

    /** The cgroups each node's dockerd made under its parent in the host's tree, deepest first. */
    private void removeCgroups() {
        try (Stream<Path> controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path controller : controllers.toList()) {
                for (int n = 1; n <= containers.size(); n++) {
                    deleteTree(controller.resolve(network + "-node-" + n));
                }
            }
        } catch (IOException e) {
            log.warn("swarm {}: could not list the cgroup controllers: {}", id, e.getMessage());
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a cgroup with a process still in it: gone with the process
                }
            });
        } catch (IOException e) {
            // gone meanwhile
        }
    }

    /** The host's capabilities Docker knows and this machine's bounding set lacks: a node cannot have them. */
    static List<Capability> missingCapabilities() {
        try {
            String bounding = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith("CapBnd:")).findFirst().orElseThrow().substring("CapBnd:".length()).strip();
            long set = Long.parseUnsignedLong(bounding, 16);
            List<Capability> missing = new ArrayList<>();
            for (int bit = 0; bit < CAPABILITY_BITS.size(); bit++) {
                if ((set & (1L << bit)) == 0) {
                    missing.add(Capability.valueOf(CAPABILITY_BITS.get(bit)));
                }
            }
            return missing;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
