package dev.hydrant.benchmarks.load;

import java.util.concurrent.TimeUnit;

/** One healthy subscriber of the run, whatever its wire: it records into its {@link Receipts}. */
interface LoadConsumer {

    ConsumerKind kind();

    /** Its subscription (shard) id. */
    String subscription();

    Receipts receipts();

    /** Why the stream ended other than by {@link #close}, or null. */
    String failure();

    /** Ends the stream and waits (bounded) until it has ended, so that the counts read after are final. */
    void close(long timeout, TimeUnit unit) throws InterruptedException;
}
