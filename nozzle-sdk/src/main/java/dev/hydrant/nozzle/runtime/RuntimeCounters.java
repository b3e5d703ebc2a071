package dev.hydrant.nozzle.runtime;

import java.util.concurrent.atomic.LongAdder;

/** What a {@link NozzleRuntime} counts, shared by its parts. */
record RuntimeCounters(LongAdder received, LongAdder written, LongAdder sinkErrors, LongAdder droppedByBuffer,
                       LongAdder droppedBySink, LongAdder droppedAtShutdown, LongAdder returned) {

    RuntimeCounters() {
        this(new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
                new LongAdder());
    }

    long dropped() {
        return droppedByBuffer.sum() + droppedBySink.sum() + droppedAtShutdown.sum();
    }
}
