package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The java that runs the started components: the harness's own, or another one named by
 * {@code --component-java} (a Java 25 for its ahead-of-time cache, say), with the build it reports.
 *
 * @param path    the java launcher
 * @param build   its full version, as {@code java -version} names the build ({@code 25.0.3+9-LTS})
 * @param feature its feature release (17, 25, ...)
 */
record ComponentJava(Path path, String build, int feature) {

    private static final Pattern BUILD = Pattern.compile("Runtime Environment.*\\(build ([^)]+)\\)");
    private static final Pattern VERSION = Pattern.compile("version \"(\\d+)");
    private static final long VERSION_TIMEOUT_SECONDS = 60;

    ComponentJava {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(build, "build");
    }

    /** The java running this harness. */
    static ComponentJava harness() {
        Path self = Path.of(ProcessHandle.current().info().command().orElse("java"));
        return new ComponentJava(self, Runtime.version().toString(), Runtime.version().feature());
    }

    /** {@code path}, its build asked with {@code java -version}; the harness's own java if null. */
    static ComponentJava of(Path path) throws IOException, InterruptedException {
        if (path == null) {
            return harness();
        }
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            throw new IllegalArgumentException("--component-java " + path + " is not an executable java");
        }
        Process process = new ProcessBuilder(List.of(path.toString(), "-version")).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(VERSION_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalArgumentException("--component-java " + path + " -version failed: " + output.strip());
        }
        Matcher version = VERSION.matcher(output);
        Matcher build = BUILD.matcher(output);
        if (!version.find() || !build.find()) {
            throw new IllegalArgumentException("--component-java " + path + ": cannot read its version from: "
                    + output.strip());
        }
        return new ComponentJava(path, build.group(1), Integer.parseInt(version.group(1)));
    }

    /** Whether it has the ahead-of-time cache with one-step recording (JEP 514): Java 25 or later. */
    boolean hasAotCache() {
        return feature >= 25;
    }

    /** How the report names it: the launcher and its build. */
    String describe() {
        return path + " (" + build + ")";
    }
}
