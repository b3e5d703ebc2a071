package dev.hydrant.metron.containers;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A process that is not in a cgroup of its own (an app run by {@code ship}) with the processes it
 * started: CPU time and memory are the sums over the live process tree of {@code /proc/PID/stat}
 * (own and waited-for children's time) and {@code /proc/PID/status} {@code VmRSS}; the memory quota is
 * {@code memory.max} of the cgroup v2 the process is in (the host's memory when none); the disk is
 * that of {@code diskPath}'s filesystem, by default the process's root filesystem.
 */
public final class ProcessContainer implements Container {

    private final Proc proc;
    private final Optional<Cgroups> cgroups;
    private final long pid;
    private final Optional<Path> diskPath;

    public ProcessContainer(Proc proc, Optional<Cgroups> cgroups, long pid, Optional<Path> diskPath) {
        this.proc = Objects.requireNonNull(proc, "proc");
        this.cgroups = Objects.requireNonNull(cgroups, "cgroups");
        this.pid = pid;
        this.diskPath = Objects.requireNonNull(diskPath, "diskPath");
    }

    @Override
    public ContainerUsage read() throws IOException {
        ProcessHandle process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .orElseThrow(() -> new IOException("process " + pid + " has ended"));
        List<Long> tree = new ArrayList<>();
        tree.add(pid);
        process.descendants().forEach(child -> tree.add(child.pid()));
        long cpu = proc.cpuMicros(pid);
        for (long child : tree.subList(1, tree.size())) {
            try {
                cpu += proc.cpuMicros(child);
            } catch (NoSuchFileException ended) {
                // ended since listed: its time is now its parent's
            }
        }
        long memory = Container.residentBytes(proc, tree);
        long[] usedAndSize = Container.disk(diskPath.orElse(proc.rootOf(pid)));
        return new ContainerUsage(cpu, memory, memoryQuota(), usedAndSize[0], usedAndSize[1]);
    }

    private long memoryQuota() throws IOException {
        String cgroup = proc.cgroupOf(pid);
        if (cgroups.isPresent() && cgroup != null) {
            Optional<Long> max = cgroups.get().memoryMax(cgroups.get().directory(cgroup));
            if (max.isPresent()) {
                return max.get();
            }
        }
        return proc.hostMemoryBytes();
    }

    @Override
    public String describe() {
        return "process " + pid;
    }
}
