package dev.hydrant.benchmarks.load;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One process of the run as the harness measures it: a component it started or a running one it was
 * pointed at (or the harness itself). What is not known is null or empty: a running component without
 * {@code --*-pid} has no pid, one without {@code --*-metrics} no Prometheus endpoint, and only started
 * components have start-up figures and JVM options.
 *
 * @param name                the name in the JSON line: {@code metron}, {@code doppler}, {@code traffic_controller}
 * @param metrics             its Prometheus endpoint, or null
 * @param pid                 its process id on this machine, or null
 * @param execToListeningMs   from exec until its main port (gRPC; the Traffic Controller's public HTTP port)
 *                            accepted a TCP connection
 * @param execToHealthyMs     from exec until {@code /actuator/health} answered UP
 * @param jvmOptions          the JVM options it was started with, empty if not started here
 * @param java                the java that ran it and its build, or null if not started here
 * @param startCache          the start-up cache it read ({@code none}, a file, or {@code recording <file>}), or
 *                            null if not started here
 */
record Hop(String name, URI metrics, Long pid, OptionalLong execToListeningMs, OptionalLong execToHealthyMs,
           List<String> jvmOptions, String java, String startCache) {

    Hop {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(execToListeningMs, "execToListeningMs");
        Objects.requireNonNull(execToHealthyMs, "execToHealthyMs");
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** A running component the harness did not start. */
    static Hop running(String name, URI metrics, Long pid) {
        return new Hop(name, metrics, pid, OptionalLong.empty(), OptionalLong.empty(), List.of(), null, null);
    }

    /** The harness's own process. */
    static Hop harness() {
        return running("harness", null, ProcessHandle.current().pid());
    }
}
