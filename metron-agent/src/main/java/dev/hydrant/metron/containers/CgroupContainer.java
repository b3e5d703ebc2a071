package dev.hydrant.metron.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A cgroup v2: CPU time from {@code cpu.stat}, memory from {@code memory.current} (or, where the memory
 * controller is not enabled for the cgroup, the sum of {@code VmRSS} of its processes), the memory
 * quota from {@code memory.max} (the host's memory when it sets none or is absent), and the disk of
 * {@code diskPath}'s filesystem, by default the root filesystem of the cgroup's first process.
 */
public final class CgroupContainer implements Container {

    private final Cgroups cgroups;
    private final Proc proc;
    private final Path directory;
    private final Optional<Path> diskPath;

    public CgroupContainer(Cgroups cgroups, Proc proc, Path directory, Optional<Path> diskPath) {
        this.cgroups = Objects.requireNonNull(cgroups, "cgroups");
        this.proc = Objects.requireNonNull(proc, "proc");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.diskPath = Objects.requireNonNull(diskPath, "diskPath");
    }

    @Override
    public ContainerUsage read() throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("cgroup " + directory + " does not exist");
        }
        long cpu = cgroups.cpuMicros(directory);
        List<Long> pids = cgroups.processes(directory);
        Optional<Long> current = cgroups.memoryCurrent(directory);
        long memory = current.isPresent() ? current.get() : Container.residentBytes(proc, pids);
        long quota = cgroups.memoryMax(directory).orElse(proc.hostMemoryBytes());
        Optional<Path> disk = diskPath.isPresent() ? diskPath
                : pids.stream().findFirst().map(proc::rootOf);
        long[] usedAndSize = disk.isPresent() ? Container.disk(disk.get()) : new long[] {0, 0};
        return new ContainerUsage(cpu, memory, quota, usedAndSize[0], usedAndSize[1]);
    }

    @Override
    public String describe() {
        return "cgroup " + directory;
    }
}
