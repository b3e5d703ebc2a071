package dev.hydrant.nozzle.autoconfigure;

import dev.hydrant.nozzle.client.HydrantClient;
import dev.hydrant.nozzle.client.ReadRequest;
import dev.hydrant.nozzle.runtime.NozzleRuntime;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the nozzle once the application context is ready and, on shutdown, stops reading and flushes
 * the buffer before other beans (the sink's resources) are destroyed: it starts last and stops first.
 */
final class NozzleLifecycle implements SmartLifecycle {

    private final HydrantClient client;
    private final NozzleRuntime runtime;
    private final ReadRequest request;
    private volatile boolean running;

    NozzleLifecycle(HydrantClient client, NozzleRuntime runtime, ReadRequest request) {
        this.client = client;
        this.runtime = runtime;
        this.request = request;
    }

    @Override
    public void start() {
        runtime.start(client.readBatches(request));
        running = true;
    }

    @Override
    public void stop() {
        runtime.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
