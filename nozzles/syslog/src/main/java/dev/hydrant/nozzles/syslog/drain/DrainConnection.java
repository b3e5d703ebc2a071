package dev.hydrant.nozzles.syslog.drain;

import java.io.IOException;
import java.util.List;

/** An open way to one drain. Used by its writer's thread only; {@link #close()} may come from any thread. */
interface DrainConnection extends AutoCloseable {

    /** Writes every message of the batch, or throws: then the connection is closed and the batch failed. */
    void write(List<byte[]> messages) throws IOException;

    @Override
    void close();
}
