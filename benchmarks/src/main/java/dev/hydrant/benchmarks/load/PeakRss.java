package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Reads a process's peak resident set size, {@code VmHWM} in {@code /proc/<pid>/status} (Linux only). */
final class PeakRss {

    private PeakRss() {
    }

    /** The peak RSS of {@code pid} in MiB, or empty if it cannot be read. */
    static OptionalLong ofPid(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "status"));
    }

    /** The peak RSS of the harness itself in MiB, or empty if it cannot be read. */
    static OptionalLong ofSelf() {
        return read(Path.of("/proc/self/status"));
    }

    private static OptionalLong read(Path status) {
        try {
            for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
                if (line.startsWith("VmHWM:")) {
                    String kib = line.substring("VmHWM:".length()).replace("kB", "").trim();
                    return OptionalLong.of(Long.parseLong(kib) / 1024);
                }
            }
            return OptionalLong.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
