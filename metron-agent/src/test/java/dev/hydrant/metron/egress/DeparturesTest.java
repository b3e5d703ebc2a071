package dev.hydrant.metron.egress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The number below which everything offered to the agent's buffer has left the agent, with a real buffer: batches
 * are taken as a stream worker takes them, and settled as their streams would settle them.
 */
class DeparturesTest {

    private final DropOldestBuffer<Integer> buffer = new DropOldestBuffer<>(100, dropped -> { });
    private final Departures departures = new Departures(buffer);

    @Test
    void aBatchStillInFlight_holdsTheNumberAtItsFirst_howeverManyNewerBatchesSettle() throws Exception {
        offer(10);
        Batch older = take(4);
        Batch newer = take(6);
        newer.settle();
        offer(5);
        take(5).settle();

        assertThat(departures.settled()).isZero();
        older.settle();
        assertThat(departures.settled()).isEqualTo(15);
    }

    @Test
    void newerEnvelopesDroppedFromTheBuffer_doNotMoveTheNumberPastABatchInFlight() throws Exception {
        offer(10);
        Batch inFlight = take(3);
        offer(200); // the buffer holds 100: the oldest 107 make room, counted as dropped

        assertThat(buffer.removed()).isEqualTo(110);
        assertThat(departures.settled()).isZero();
        inFlight.settle();
        assertThat(departures.settled()).as("dropped ones have left; those held have not").isEqualTo(110);
    }

    @Test
    void whatIsInTheBuffer_hasNotLeft() throws Exception {
        offer(10);
        take(4).settle();

        assertThat(departures.settled()).isEqualTo(4);
    }

    @Test
    void aBatchGivenBack_settlesOnlyWithItsEnvelopesUnderTheirNewNumbers() throws Exception {
        offer(4);
        Batch givenBack = take(2);
        buffer.offerAll(givenBack.envelopes); // as a stopping worker puts its batch back: numbered 4 and 5 now
        givenBack.givenBack(buffer.offered());
        Batch rest = take(2);
        Batch again = take(2);
        rest.settle();

        assertThat(departures.settled()).isZero();
        again.settle();
        assertThat(departures.settled()).isEqualTo(6);
    }

    @Test
    void aBatchGivenBackTwice_waitsForItsLastNumbers() throws Exception {
        offer(2);
        Batch first = take(2);
        buffer.offerAll(first.envelopes);
        first.givenBack(buffer.offered());
        Batch second = take(2);
        buffer.offerAll(second.envelopes);
        second.givenBack(buffer.offered());

        assertThat(departures.settled()).isZero();
        Batch third = take(2);
        assertThat(departures.settled()).isZero();
        third.settle();
        assertThat(departures.settled()).isEqualTo(6);
    }

    @Test
    void beyondTheRangesItHolds_takesJoinTheNewest_andTheNumberStillWaitsForEachOfThem() throws Exception {
        DropOldestBuffer<Integer> big = new DropOldestBuffer<>(Departures.MAX_RANGES + 100, dropped -> { });
        Departures books = new Departures(big);
        big.offerAll(IntStream.range(0, Departures.MAX_RANGES + 10).boxed().toList());
        List<Departures.Range> ranges = new ArrayList<>();
        for (int i = 0; i < Departures.MAX_RANGES + 10; i++) {
            big.drainTo(new ArrayList<>(), 1, null, 0, TimeUnit.NANOSECONDS,
                    (first, count) -> ranges.add(books.taken(first, count)));
        }
        for (int i = 0; i < Departures.MAX_RANGES + 9; i++) {
            ranges.get(i).settle();
        }

        assertThat(books.settled()).as("the last take joined the newest range").isEqualTo(Departures.MAX_RANGES - 1);
        ranges.get(Departures.MAX_RANGES + 9).settle();
        assertThat(books.settled()).isEqualTo(Departures.MAX_RANGES + 10);
    }

    private int next;

    private void offer(int n) {
        buffer.offerAll(IntStream.range(next, next + n).boxed().toList());
        next += n;
    }

    /** One drain of at most {@code n}, as a worker's fill registers it. */
    private Batch take(int n) throws InterruptedException {
        Batch batch = new Batch();
        buffer.drainTo(batch.envelopes, n, null, 0, TimeUnit.NANOSECONDS,
                (first, count) -> batch.ranges.add(departures.taken(first, count)));
        return batch;
    }

    private static final class Batch {
        final List<Integer> envelopes = new ArrayList<>();
        final List<Departures.Range> ranges = new ArrayList<>();

        void settle() {
            Departures.settle(ranges);
        }

        void givenBack(long offered) {
            ranges.forEach(range -> range.givenBack(offered));
        }
    }
}
