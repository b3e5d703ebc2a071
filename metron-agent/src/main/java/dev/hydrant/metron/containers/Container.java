package dev.hydrant.metron.containers;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Something whose usage is sampled: a cgroup, or a process with what it started. */
public interface Container {

    /** One reading of its files; an IOException when it is gone or its files cannot be read. */
    ContainerUsage read() throws IOException;

    /** What the log calls it. */
    String describe();

    /** Sum of {@code VmRSS} of those of {@code pids} that still run. */
    static long residentBytes(Proc proc, List<Long> pids) throws IOException {
        long bytes = 0;
        for (long pid : pids) {
            try {
                bytes += proc.residentBytes(pid);
            } catch (NoSuchFileException ended) {
                // ended between listing and reading: no memory any more
            }
        }
        return bytes;
    }

    /** Bytes used on the filesystem of {@code path} and its size: {@code [used, size]}. */
    static long[] disk(Path path) throws IOException {
        FileStore store = Files.getFileStore(path);
        long size = store.getTotalSpace();
        return new long[] {Math.max(0, size - store.getUnallocatedSpace()), size};
    }
}
