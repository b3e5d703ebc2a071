package dev.hydrant.standalone;

import dev.hydrant.standalone.stack.StackSettings;
import dev.hydrant.standalone.stack.StandaloneStack;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Starts the standalone as {@code run} does, on free ports, with its data in {@code home}. */
final class TestStacks {

    private TestStacks() {
    }

    static StandaloneStack start(Path home) {
        return StandaloneStack.start(StackSettings.parse(arguments(home), Map.of()));
    }

    /** The {@code run} arguments of such a stack. */
    static List<String> arguments(Path home) {
        return List.of(
                DataDirectory.OPTION + home,
                "--hydrant.doppler.port=0",
                "--hydrant.metron.port=0",
                "--hydrant.metron.udp-port=0",
                "--hydrant.traffic-controller.grpc-port=0",
                "--server.port=0",
                "--traffic-controller.management.server.port=0",
                "--hydrant.doppler.metrics-interval=1h",
                "--hydrant.metron.metrics-interval=1h",
                "--hydrant.traffic-controller.metrics.interval=1h");
    }
}
