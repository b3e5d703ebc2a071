package dev.hydrant.testsupport.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code /proc} and cgroup v2 files say, read by the tests themselves (not through the code under
 * test) so that a sampled container metric can be held against them.
 */
public final class ProcReadings {

    private ProcReadings() {
    }

    /** {@code VmRSS} of {@code /proc/PID/status}, bytes. */
    public static long residentBytes(long pid) throws IOException {
        return kilobytes(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:") * 1024;
    }

    /** {@code MemTotal} of {@code /proc/meminfo}, bytes. */
    public static long hostMemoryBytes() throws IOException {
        return kilobytes(Path.of("/proc/meminfo"), "MemTotal:") * 1024;
    }

    /** {@code usage_usec} of a cgroup's {@code cpu.stat}. */
    public static long cgroupCpuMicros(Path cgroup) throws IOException {
        for (String line : Files.readAllLines(cgroup.resolve("cpu.stat"), StandardCharsets.US_ASCII)) {
            String[] fields = line.split(" ");
            if (fields.length == 2 && fields[0].equals("usage_usec")) {
                return Long.parseLong(fields[1]);
            }
        }
        throw new IOException("no usage_usec in " + cgroup.resolve("cpu.stat"));
    }

    /** A cgroup file holding one number ({@code memory.current}, {@code memory.max}); empty when absent or {@code max}. */
    public static Optional<Long> cgroupNumber(Path cgroup, String file) throws IOException {
        Path path = cgroup.resolve(file);
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        String value = Files.readString(path, StandardCharsets.US_ASCII).trim();
        return value.equals("max") ? Optional.empty() : Optional.of(Long.parseLong(value));
    }

    private static long kilobytes(Path file, String key) throws IOException {
        return Files.readAllLines(file, StandardCharsets.US_ASCII).stream()
                .filter(line -> line.startsWith(key))
                .map(line -> Long.parseLong(line.substring(key.length()).replace("kB", "").trim()))
                .findFirst().orElseThrow(() -> new IOException("no " + key + " in " + file));
    }
}
