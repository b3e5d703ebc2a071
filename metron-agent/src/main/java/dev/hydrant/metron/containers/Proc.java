package dev.hydrant.metron.containers;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads {@code /proc}: a process's CPU time from {@code /proc/PID/stat} ({@code utime}, {@code stime},
 * {@code cutime}, {@code cstime}: its own and that of the children it waited for), its resident memory
 * from {@code /proc/PID/status} ({@code VmRSS}), and the host's memory from {@code /proc/meminfo}.
 */
public final class Proc {

    /** Clock ticks per second when {@code /proc/self/auxv} does not tell ({@code AT_CLKTCK}). */
    static final long DEFAULT_TICKS_PER_SECOND = 100;
    private static final long AT_CLKTCK = 17;

    private final Path root;
    private final long ticksPerSecond;

    /** {@code /proc} of this host. */
    public static Proc host() {
        return new Proc(Path.of("/proc"));
    }

    Proc(Path root) {
        this.root = root;
        this.ticksPerSecond = ticksPerSecond(root.resolve("self/auxv"));
    }

    /** CPU time of process {@code pid} and of the children it has waited for, in microseconds. */
    public long cpuMicros(long pid) throws IOException {
        String stat = Files.readString(root.resolve(pid + "/stat"), StandardCharsets.US_ASCII);
        // the command name (field 2) is in parentheses and may hold spaces: count fields after its last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields[0] is field 3 (state); utime, stime, cutime, cstime are fields 14 to 17
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12])
                + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        return ticks * 1_000_000L / ticksPerSecond;
    }

    /** Resident memory of process {@code pid} ({@code VmRSS}), bytes; 0 for a process without (a kernel thread, a zombie). */
    public long residentBytes(long pid) throws IOException {
        return kilobytes(root.resolve(pid + "/status"), "VmRSS:") * 1024;
    }

    /** The host's memory ({@code MemTotal}), bytes. */
    public long hostMemoryBytes() throws IOException {
        return kilobytes(root.resolve("meminfo"), "MemTotal:") * 1024;
    }

    /** The root directory process {@code pid} sees: the filesystem a container's disk is measured on. */
    public Path rootOf(long pid) {
        return root.resolve(pid + "/root");
    }

    /** {@code /proc/PID/cgroup}'s cgroup v2 line ({@code 0::/path}): the path, or null. */
    public String cgroupOf(long pid) throws IOException {
        for (String line : Files.readAllLines(root.resolve(pid + "/cgroup"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("0::")) {
                return line.substring(3);
            }
        }
        return null;
    }

    private static long kilobytes(Path file, String key) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).replace("kB", "").strip());
            }
        }
        return 0;
    }

    private static long ticksPerSecond(Path auxv) {
        try {
            ByteBuffer entries = ByteBuffer.wrap(Files.readAllBytes(auxv)).order(ByteOrder.nativeOrder());
            while (entries.remaining() >= 16) {
                long key = entries.getLong();
                long value = entries.getLong();
                if (key == AT_CLKTCK && value > 0) {
                    return value;
                }
                if (key == 0) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux or not readable: the usual value
        }
        return DEFAULT_TICKS_PER_SECOND;
    }
}
