package dev.hydrant.trafficcontroller.recent;

import static dev.hydrant.trafficcontroller.support.TrafficControllerRunner.log;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;

class NewestEnvelopesTest {

    private static List<String> texts(List<Envelope> envelopes) {
        return envelopes.stream().map(e -> e.getLog().getPayload().toStringUtf8()).toList();
    }

    @Test
    void keepsTheNewestLimit_inTimeOrder_whateverOrderThePiecesCameIn() {
        NewestEnvelopes newest = new NewestEnvelopes(3, Long.MAX_VALUE);
        newest.addAll(List.of(log("app", "t5", 5), log("app", "t1", 1)));
        newest.addAll(List.of(log("app", "t2", 2), log("app", "t4", 4)));
        newest.addAll(List.of(log("app", "t3", 3)));

        assertThat(texts(newest.take(false))).containsExactly("t3", "t4", "t5");
    }

    @Test
    void newestFirst_whenDescending() {
        NewestEnvelopes newest = new NewestEnvelopes(10, Long.MAX_VALUE);
        newest.addAll(List.of(log("app", "t2", 2), log("app", "t1", 1), log("app", "t3", 3)));

        assertThat(texts(newest.take(true))).containsExactly("t3", "t2", "t1");
    }

    @Test
    void pastMaxBytes_theOldestGoFirst_butTheNewestStaysWhateverItsSize() {
        Envelope small = log("app", "s", 1);
        int size = small.getSerializedSize();
        NewestEnvelopes newest = new NewestEnvelopes(10, 3L * size);
        newest.addAll(List.of(log("app", "a", 1), log("app", "b", 2), log("app", "c", 3), log("app", "d", 4)));
        assertThat(texts(newest.take(false))).containsExactly("b", "c", "d");

        NewestEnvelopes oneLarge = new NewestEnvelopes(10, 3L * size);
        oneLarge.addAll(List.of(log("app", "a", 1), log("app", "x".repeat(10 * size), 2)));
        assertThat(texts(oneLarge.take(false))).containsExactly("x".repeat(10 * size));
    }

    @Test
    void piecesAfterTheAnswerWasTaken_areIgnored() {
        NewestEnvelopes newest = new NewestEnvelopes(10, Long.MAX_VALUE);
        newest.addAll(List.of(log("app", "in time", 1)));
        assertThat(texts(newest.take(false))).containsExactly("in time");

        newest.addAll(List.of(log("app", "too late", 2)));
        assertThat(newest.take(false)).isEmpty();
    }
}
