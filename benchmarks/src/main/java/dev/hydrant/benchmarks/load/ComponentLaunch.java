package dev.hydrant.benchmarks.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How one component is executed: {@code <java> <jvmOptions> -jar <jar> <arguments>}, which start-up cache
 * its options name (for the report), and how long it is given to stop once sent SIGTERM (a run recording
 * a cache writes it as it exits, which takes longer than stopping).
 *
 * @param java       the java that runs it
 * @param jar        the exec jar, or the jar extracted from it next to its libraries
 * @param jvmOptions every JVM option, the cache's included
 * @param startCache what the report names as its start-up cache: {@code none}, the file it reads, or
 *                   {@code recording <file>}
 * @param stopGrace  how long after SIGTERM before it is killed
 */
record ComponentLaunch(ComponentJava java, Path jar, List<String> jvmOptions, String startCache, Duration stopGrace) {

    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /** Writing an ahead-of-time cache at exit (a second JVM assembles it) takes tens of seconds on a busy machine. */
    static final Duration RECORDING_STOP_GRACE = Duration.ofMinutes(5);

    ComponentLaunch {
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(jar, "jar");
        Objects.requireNonNull(startCache, "startCache");
        Objects.requireNonNull(stopGrace, "stopGrace");
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** The exec jar as it is, with the harness's own java and no cache. */
    static ComponentLaunch plain(Path jar, List<String> jvmOptions) {
        return new ComponentLaunch(ComponentJava.harness(), jar, jvmOptions, "none", STOP_GRACE);
    }

    /** The command line. */
    List<String> command(List<String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(java.path().toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        command.addAll(arguments);
        return command;
    }
}
