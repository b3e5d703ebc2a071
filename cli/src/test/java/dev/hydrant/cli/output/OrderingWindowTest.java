package dev.hydrant.cli.output;

import static dev.hydrant.testsupport.envelopes.Envelopes.log;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.junit.jupiter.api.Test;

class OrderingWindowTest {

    private static final long WINDOW = 300_000_000L;

    private final AtomicLong now = new AtomicLong();
    private final List<String> printed = new ArrayList<>();
    private final OrderingWindow window = new OrderingWindow(WINDOW, 100,
            batch -> batch.forEach(e -> printed.add(e.getLog().getPayload().toStringUtf8())), now::get);

    private static Envelope at(long timestamp) {
        return log("app", "t" + timestamp, timestamp);
    }

    @Test
    void linesArrivingOutOfOrderWithinTheWindow_arePrintedInTimestampOrder() {
        window.addAll(List.of(at(30), at(10)));
        now.addAndGet(100_000_000);
        window.addAll(List.of(at(20), at(5)));
        window.release();
        assertThat(printed).as("nothing before the window has passed").isEmpty();

        now.addAndGet(WINDOW - 100_000_000);
        window.release();

        assertThat(printed).containsExactly("t5", "t10", "t20", "t30");
        assertThat(window.held()).isZero();
    }

    @Test
    void aLineIsHeldNoLongerThanTheWindow_evenWhileNewerLinesKeepArriving() {
        window.addAll(List.of(at(100)));
        now.addAndGet(WINDOW / 2);
        window.addAll(List.of(at(200)));
        now.addAndGet(WINDOW / 2);
        window.release();

        assertThat(printed).containsExactly("t100");
        now.addAndGet(WINDOW / 2);
        window.release();
        assertThat(printed).containsExactly("t100", "t200");
    }

    @Test
    void aLineLaterThanTheWindowIsPrintedAtOnce_andFlushPrintsTheRestInOrder() {
        window.addAll(List.of(at(100)));
        now.addAndGet(WINDOW);
        window.release();
        window.addAll(List.of(at(50), at(300), at(200)));
        window.release();
        assertThat(printed).containsExactly("t100", "t50");

        window.flush();
        assertThat(printed).containsExactly("t100", "t50", "t200", "t300");
    }

    @Test
    void whenFull_theEarliestIsPrintedAtOnceAndNothingIsLost() {
        OrderingWindow small = new OrderingWindow(WINDOW, 2,
                batch -> batch.forEach(e -> printed.add(e.getLog().getPayload().toStringUtf8())), now::get);

        small.addAll(List.of(at(3), at(1), at(2)));

        assertThat(printed).containsExactly("t1");
        small.flush();
        assertThat(printed).containsExactly("t1", "t2", "t3");
    }
}
