package dev.hydrant.metron.containers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads cgroup v2 files under the host's cgroup2 mount ({@code /sys/fs/cgroup} on a unified host,
 * {@code /sys/fs/cgroup/unified} on a hybrid one, as {@code /proc/self/mountinfo} says):
 * {@code cpu.stat} ({@code usage_usec}), {@code memory.current}, {@code memory.max} and the
 * processes of a cgroup and its descendants ({@code cgroup.procs}).
 */
public final class Cgroups {

    private static final int MAX_DEPTH = 16;

    private final Path mount;

    public Cgroups(Path mount) {
        this.mount = mount;
    }

    /** The cgroup2 mount of this host, if it has one. */
    public static Optional<Cgroups> host() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                int separator = line.indexOf(" - ");
                if (separator > 0 && line.startsWith("cgroup2 ", separator + 3)) {
                    String[] fields = line.substring(0, separator).split(" ");
                    return Optional.of(new Cgroups(Path.of(fields[4].replace("\\040", " "))));
                }
            }
        } catch (IOException e) {
            // no /proc: no cgroups
        }
        return Optional.empty();
    }

    public Path mount() {
        return mount;
    }

    /** The directory of a cgroup given as an absolute directory or as a path under the mount ({@code /system.slice/x}). */
    public Path directory(String cgroup) {
        Path path = Path.of(cgroup);
        if (path.isAbsolute() && path.startsWith(mount)) {
            return path;
        }
        return mount.resolve(cgroup.startsWith("/") ? cgroup.substring(1) : cgroup);
    }

    /** {@code usage_usec} of {@code cpu.stat}: CPU time of all the cgroup's processes, past and present. */
    public long cpuMicros(Path cgroup) throws IOException {
        for (String line : Files.readAllLines(cgroup.resolve("cpu.stat"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("usage_usec ")) {
                return Long.parseLong(line.substring("usage_usec ".length()).strip());
            }
        }
        throw new IOException(cgroup.resolve("cpu.stat") + " has no usage_usec");
    }

    /** {@code memory.current}, when the memory controller is enabled for this cgroup. */
    public Optional<Long> memoryCurrent(Path cgroup) throws IOException {
        return number(cgroup.resolve("memory.current"));
    }

    /** {@code memory.max}, when the memory controller is enabled for this cgroup and it sets a limit. */
    public Optional<Long> memoryMax(Path cgroup) throws IOException {
        return number(cgroup.resolve("memory.max"));
    }

    /** The processes of the cgroup and of the cgroups below it. */
    public List<Long> processes(Path cgroup) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> files = Files.find(cgroup, MAX_DEPTH, (file, attributes) -> file.endsWith("cgroup.procs"))) {
            for (Path procs : files.toList()) {
                for (String line : Files.readAllLines(procs, StandardCharsets.US_ASCII)) {
                    if (!line.isBlank()) {
                        pids.add(Long.parseLong(line.strip()));
                    }
                }
            }
        }
        return pids;
    }

    private static Optional<Long> number(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String value = Files.readString(file, StandardCharsets.US_ASCII).strip();
        return value.equals("max") ? Optional.empty() : Optional.of(Long.parseLong(value));
    }
}
