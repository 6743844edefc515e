package io.slipway.controller.dyno;

import io.slipway.controller.http.ApiException;
import java.util.Arrays;

/** Dyno sizes: what a process type's containers may use. */
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

    public static DynoSize of(String label) {
        return Arrays.stream(values()).filter(s -> s.label.equals(label)).findFirst().orElseThrow(() ->
                ApiException.invalid("unknown dyno size '" + label + "'; sizes are standard (512 MB) and performance (2 GB)"));
    }
}
