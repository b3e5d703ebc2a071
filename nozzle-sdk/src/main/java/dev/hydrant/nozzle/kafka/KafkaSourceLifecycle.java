package dev.hydrant.nozzle.kafka;

import dev.hydrant.nozzle.runtime.NozzleRuntime;
import org.springframework.context.SmartLifecycle;

/**
 * Starts reading the topic once the application context is ready and, on shutdown, stops reading, flushes
 * the buffer and commits before other beans (the sink's resources) are destroyed: it starts last and stops first.
 */
final class KafkaSourceLifecycle implements SmartLifecycle {

    private final NozzleRuntime runtime;
    private final KafkaSource source;
    private volatile boolean running;

    KafkaSourceLifecycle(NozzleRuntime runtime, KafkaSource source) {
        this.runtime = runtime;
        this.source = source;
    }

    @Override
    public void start() {
        runtime.start(source);
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
