package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns a component's exec jar and JVM options into how it is executed ({@link ComponentLaunch}): by
 * {@code java}, from the exec jar as it is when there is no start-up cache, else from the jar the cache
 * extracted, reading the component's cache or, for the components in {@code recording}, recording it.
 *
 * @param java      the java that runs the components
 * @param cache     the start-up caches, or null for none
 * @param recording the components (module names) whose cache this start records
 */
record Launcher(ComponentJava java, StartCache cache, Set<String> recording) {

    Launcher {
        Objects.requireNonNull(java, "java");
        recording = Set.copyOf(recording);
    }

    /** The exec jars as they are, run by {@code java}. */
    static Launcher plain(ComponentJava java) {
        return new Launcher(java, null, Set.of());
    }

    /** How {@code component} (its module name: doppler, metron-agent, traffic-controller) is executed. */
    ComponentLaunch launch(String component, Path execJar, List<String> jvmOptions)
            throws IOException, InterruptedException {
        if (cache == null) {
            return new ComponentLaunch(java, execJar, jvmOptions, "none", ComponentLaunch.STOP_GRACE);
        }
        Path jar = cache.extracted(component, execJar);
        List<String> options = new ArrayList<>(jvmOptions);
        boolean records = recording.contains(component);
        options.addAll(records ? cache.recordOptions(component) : cache.useOptions(component));
        String file = cache.file(component).toString();
        return new ComponentLaunch(java, jar, options, records ? "recording " + file : file,
                records ? ComponentLaunch.RECORDING_STOP_GRACE : ComponentLaunch.STOP_GRACE);
    }
}
