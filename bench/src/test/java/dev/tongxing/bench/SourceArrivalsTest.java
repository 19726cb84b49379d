package dev.tongxing.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The busiest one-second window is found wherever it lies, not only on whole seconds of the run. */
class SourceArrivalsTest {

    private static final long START = 1_700_000_000_000L;

    @Test
    void aWindowAcrossTwoSecondsCountsWhatEachWholeSecondSplits() {
        ObjectNode systems = new ObjectMapper().createObjectNode();
        ArrayNode ymt = systems.putArray("ymt-61");
        for (int bucket = 0; bucket < 300; bucket++) {
            // 150 arrivals in the last 10 ms of the first second, 100 in the first 10 ms of the next.
            ymt.add(bucket == 99 ? 150 : bucket == 100 ? 100 : 0);
        }
        SourceArrivals arrivals = new SourceArrivals(START, 10, systems);

        assertThat(arrivals.perSecond("shaanxi-ymt", START, 3)).extracting(p -> p[1]).containsExactly(150.0, 100.0, 0.0);
        assertThat(arrivals.busiestSecond("shaanxi-ymt", START, START + 3000)).isEqualTo(250);
        assertThat(arrivals.busiestSecond("shaanxi-ymt", START + 1000, START + 3000)).as("from the second second on").isEqualTo(100);
        assertThat(arrivals.count("shaanxi-ymt", START + 990, START + 1010)).isEqualTo(250);
        assertThat(arrivals.busiestSecond("travel-card", START, START + 3000)).as("a source that received nothing").isZero();
    }
}
