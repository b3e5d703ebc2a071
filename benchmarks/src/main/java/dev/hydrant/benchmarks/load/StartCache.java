package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The components' start-up caches in one directory ({@code --start-cache}): each component's exec jar
 * extracted to a plain class path in {@code <dir>/<component>/} (Spring Boot's nested-jar class loader
 * defeats the JVM's caches), and its cache {@code <dir>/<component>-<feature>.aot}, Java 25's ahead-of-time
 * cache (classes loaded and linked, method profiles; JEP 483, 514, 515), or on an older java
 * {@code <dir>/<component>-<feature>.jsa}, a dynamic class-data sharing archive (classes only). Either is
 * written as the recording JVM exits and holds only for the JDK build, the jar and the JVM options it was
 * recorded with: {@code <file>.options} names those, and a cache whose do not match is recorded again. A
 * jar is extracted again, and its caches dropped, when the exec jar is newer than the extraction.
 */
final class StartCache {

    private static final String EXTRACTED_MARK = ".extracted-from";
    private static final long EXTRACT_TIMEOUT_SECONDS = 300;

    private final Path dir;
    private final ComponentJava java;

    StartCache(Path dir, ComponentJava java) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
        this.java = Objects.requireNonNull(java, "java");
    }

    /**
     * The application jar extracted from {@code execJar} (its libraries in {@code lib/} beside it), extracted
     * now if it was not or the exec jar changed since.
     */
    Path extracted(String component, Path execJar) throws IOException, InterruptedException {
        Path target = dir.resolve(component);
        Path jar = target.resolve(execJar.getFileName());
        Path mark = target.resolve(EXTRACTED_MARK);
        String source = execJar.toAbsolutePath().normalize().toString();
        if (Files.isRegularFile(jar) && Files.isRegularFile(mark) && Files.readString(mark).equals(source)
                && Files.getLastModifiedTime(mark).compareTo(Files.getLastModifiedTime(execJar)) >= 0) {
            return jar;
        }
        deleteTree(target);
        try (Stream<Path> caches = Files.exists(dir) ? Files.list(dir) : Stream.empty()) {
            for (Path file : caches.filter(f -> f.getFileName().toString().startsWith(component + "-")).toList()) {
                Files.delete(file);
            }
        }
        Files.createDirectories(dir);
        Path log = dir.resolve(component + "-extract.log");
        Process process = new ProcessBuilder(java.path().toString(), "-Djarmode=tools", "-jar", source, "extract",
                "--destination", target.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(EXTRACT_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0
                || !Files.isRegularFile(jar)) {
            process.destroyForcibly();
            throw new IllegalStateException("cannot extract " + execJar + " into " + target + " (see " + log + ")");
        }
        Files.writeString(mark, source);
        return jar;
    }

    /** The cache file of {@code component} for this java. */
    Path file(String component) {
        return dir.resolve(component + "-" + java.feature() + (java.hasAotCache() ? ".aot" : ".jsa"));
    }

    /** The options that make a run record the cache as it exits. */
    List<String> recordOptions(String component) {
        return List.of((java.hasAotCache() ? "-XX:AOTCacheOutput=" : "-XX:ArchiveClassesAtExit=") + file(component));
    }

    /** The options that make a run read the cache, failing at start if it cannot (rather than quietly not). */
    List<String> useOptions(String component) {
        return java.hasAotCache()
                ? List.of("-XX:AOTCache=" + file(component), "-XX:AOTMode=on")
                : List.of("-XX:SharedArchiveFile=" + file(component), "-Xshare:on");
    }

    /** Whether the cache of {@code component} exists and was recorded by this JDK build with {@code jvmOptions}. */
    boolean isCurrent(String component, List<String> jvmOptions) throws IOException {
        Path options = optionsFile(component);
        return Files.isRegularFile(file(component)) && Files.isRegularFile(options)
                && Files.readString(options).equals(stamp(jvmOptions));
    }

    /**
     * Notes that a training run with {@code jvmOptions} ended; fails, naming the component's log, if it
     * wrote no cache.
     */
    void recorded(String component, List<String> jvmOptions, Path log) throws IOException {
        Path file = file(component);
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            throw new IllegalStateException("the training run of " + component + " wrote no start-up cache " + file
                    + " as it exited (its log: " + log + ")");
        }
        Files.writeString(optionsFile(component), stamp(jvmOptions), StandardCharsets.UTF_8);
    }

    ComponentJava java() {
        return java;
    }

    Path dir() {
        return dir;
    }

    private Path optionsFile(String component) {
        return file(component).resolveSibling(file(component).getFileName() + ".options");
    }

    private String stamp(List<String> jvmOptions) {
        return java.build() + "\n" + String.join(" ", jvmOptions) + "\n";
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
