package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVM options Hydrant ships with: the repository's {@code jvm.options} (the java launcher's
 * argument-file syntax: options separated by white space, {@code #} to the end of a line is a
 * comment), read here so that a run names each option it started a component with, and the
 * environment that goes with them ({@code MALLOC_ARENA_MAX}, which {@code ./hydrant} sets too).
 */
final class ShippedJvmOptions {

    static final String FILE_NAME = "jvm.options";
    /** What {@code ./hydrant} exports unless it is set already; the components' native allocations. */
    static final Map<String, String> ENVIRONMENT = Map.of("MALLOC_ARENA_MAX", "2");

    private ShippedJvmOptions() {
    }

    /** The repository's {@code jvm.options}, found like the exec jars (see {@link ExecJars}). */
    static Path find() {
        String root = System.getProperty("hydrant.benchmarks.root");
        Path[] roots = root != null ? new Path[] {Path.of(root)} : new Path[] {Path.of("."), Path.of("..")};
        for (Path candidate : roots) {
            Path file = candidate.resolve(FILE_NAME).normalize();
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        return roots[0].resolve(FILE_NAME).normalize();
    }

    /** The options in {@code file}, comments left out. */
    static List<String> read(Path file) {
        List<String> options = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int hash = line.indexOf('#');
                String text = hash < 0 ? line : line.substring(0, hash);
                for (String option : text.trim().split("\\s+")) {
                    if (!option.isEmpty()) {
                        options.add(option);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped JVM options " + file
                    + " (run from the repository root, or set -Dhydrant.benchmarks.root)", e);
        }
        return List.copyOf(options);
    }
}
