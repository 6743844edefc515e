package io.slipway.controller.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.slipway.controller.dyno.DynoSize;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whether the nodes' free memory holds more dynos, placed as Swarm would: each node holds whole dynos only. */
class NodeCapacityTest {
    static final long MB = 1L << 20;

    @Test
    void dynosThatFitOnTheNodesTogetherButNotInWholeOnesAreRefusedWithWhatFits() {
        // 1.5 GB free on each of two nodes: room for 2 standard (512 MB) each, but no 2 GB performance dyno.
        var rooms = List.of(new NodeCapacity.Room("node-1", 1536 * MB), new NodeCapacity.Room("node-2", 1536 * MB));

        assertThat(NodeCapacity.place(rooms, Map.of(DynoSize.STANDARD, 6))).isEmpty();
        assertThat(NodeCapacity.place(rooms, Map.of(DynoSize.STANDARD, 7))).hasValue(
                "the Swarm's 2 active nodes have room for 6 more standard dynos (512 MB of memory each), not 7: "
                        + "scale to fewer, use a smaller size, or add a node (docker swarm join)");
        assertThat(NodeCapacity.place(rooms, Map.of(DynoSize.PERFORMANCE, 1))).get().asString()
                .startsWith("the Swarm's 2 active nodes have room for 0 more performance dynos (2048 MB of memory each), not 1");
    }

    @Test
    void largerDynosArePlacedFirstAndWhatTheyTakeIsNoLongerFreeForSmallerOnes() {
        var rooms = List.of(new NodeCapacity.Room("node-1", 2560 * MB));

        assertThat(NodeCapacity.place(rooms, Map.of(DynoSize.PERFORMANCE, 1, DynoSize.STANDARD, 1))).isEmpty();
        assertThat(NodeCapacity.place(rooms, Map.of(DynoSize.PERFORMANCE, 1, DynoSize.STANDARD, 2))).get().asString()
                .contains("room for 1 more standard dyno (512 MB of memory each), not 2");
    }

    @Test
    void noNodeThatTakesTasksMeansNoRoomAtAll() {
        assertThat(NodeCapacity.place(List.of(), Map.of(DynoSize.STANDARD, 1))).get().asString()
                .startsWith("the Swarm's 0 active nodes have room for 0 more standard dynos");
    }
}
