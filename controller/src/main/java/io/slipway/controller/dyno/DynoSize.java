package io.slipway.controller.dyno;

import io.slipway.controller.http.ApiException;
import java.util.Arrays;

/**
 * Dyno sizes: what a process type's containers may use. CPU is shared in proportion to memory, as
 * Heroku's sizes do: when dynos compete for the host's CPUs, a performance dyno gets four times the
 * time of a standard one; an idle host lets any dyno use all of it.
 */
public enum DynoSize {
    STANDARD("standard", 512L << 20, 512),
    PERFORMANCE("performance", 2048L << 20, 4096);

    private final String label;
    private final long memoryBytes;
    private final long pidsLimit;

    DynoSize(String label, long memoryBytes, long pidsLimit) {
        this.label = label;
        this.memoryBytes = memoryBytes;
        this.pidsLimit = pidsLimit;
    }

    public String label() {
        return label;
    }

    public long memoryBytes() {
        return memoryBytes;
    }

    public long pidsLimit() {
        return pidsLimit;
    }

    /** Docker's relative CPU weight for this size (1024, the engine's default, for standard). */
    public int cpuShares() {
        return cpuSharesFor(memoryBytes);
    }

    /** The CPU weight of a container with this much memory: 1024 for every 512 MB, at least 2 (the engine's minimum). */
    public static int cpuSharesFor(long memoryBytes) {
        return (int) Math.max(2, Math.min(262_144, memoryBytes * 1024 / STANDARD.memoryBytes));
    }

    public static DynoSize of(String label) {
        return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst().orElseThrow(() ->
                ApiException.invalid("unknown dyno size '" + label + "'; sizes are standard (512 MB) and performance (2 GB)"));
    }
}
