package dev.hydrant.benchmarks.load;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds a component's executable jar, {@code <module>/target/<module>-<version>-exec.jar}, from
 * the repository root named by the {@code hydrant.benchmarks.root} system property, else from
 * the working directory or its parent (so that it works from the root and from benchmarks/).
 */
final class ExecJars {

    /** The version of the exec jars built next to this module. */
    static final String VERSION = "0.1.0-SNAPSHOT";

    private ExecJars() {
    }

    /** The exec jar of {@code module}; a path that may not exist if nothing fits. */
    static Path find(String module) {
        String jar = module + "-" + VERSION + "-exec.jar";
        String root = System.getProperty("hydrant.benchmarks.root");
        Path[] roots = root != null
                ? new Path[] {Path.of(root)}
                : new Path[] {Path.of("."), Path.of("..")};
        for (Path candidate : roots) {
            Path path = candidate.resolve(module).resolve("target").resolve(jar).normalize();
            if (Files.isRegularFile(path)) {
                return path;
            }
        }
        return roots[0].resolve(module).resolve("target").resolve(jar).normalize();
    }
}
