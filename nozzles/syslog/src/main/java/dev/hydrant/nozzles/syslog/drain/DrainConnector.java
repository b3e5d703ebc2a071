package dev.hydrant.nozzles.syslog.drain;

import java.io.IOException;

/** Opens a connection to one drain: resolves its host afresh and refuses a blocked address first. */
interface DrainConnector {

    DrainConnection connect() throws IOException;

    /** How long the writer waits to fill a batch before writing a smaller one. */
    long batchWaitMillis();
}
