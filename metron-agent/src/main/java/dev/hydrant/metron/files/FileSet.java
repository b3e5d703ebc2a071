package dev.hydrant.metron.files;

import dev.hydrant.metron.files.SourceNaming.Names;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files being tailed, by identity (device and inode), and the directories watched for them.
 * Each evaluation of the globs opens the files that appeared (from their checkpointed position, if
 * any), follows files renamed within the globs, counts a path that another file now holds as a
 * rotation by rename, and marks the files no glob finds any more as gone: they are read to their
 * end and released once quiet. Used by the tailer's thread only.
 */
final class FileSet implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FileSet.class);
    /** Skipped files remembered, so each is counted once. */
    private static final int SKIPPED_REMEMBERED = 10_000;

    private final List<Source> sources;
    private final int maxFiles;
    private final FilesMeters meters;
    private final Map<FileKey, TailedFile> files = new LinkedHashMap<>();
    private final Map<Path, WatchKey> watched = new HashMap<>();
    private final Set<FileKey> skipped = new HashSet<>();
    /** Files found while max-files were tailed, counted once each; tailed once there is room, forgotten once gone. */
    private final Set<FileKey> overCap = new HashSet<>();
    private Map<FileKey, Checkpoints.Position> restored = new HashMap<>();
    private volatile int size;

    FileSet(List<Source> sources, int maxFiles, FilesMeters meters) {
        this.sources = sources;
        this.maxFiles = maxFiles;
        this.meters = meters;
    }

    /** The positions a restart resumes from. */
    void restore(Map<FileKey, Checkpoints.Position> positions) {
        restored = new HashMap<>(positions);
    }

    int size() {
        return size;
    }

    /** Evaluates the globs again, watching their directories with {@code watcher} (none: null). */
    void scan(WatchService watcher) {
        Map<Path, Source> found = new LinkedHashMap<>();
        Set<Path> directories = new LinkedHashSet<>();
        for (Source source : sources) {
            List<Path> paths = new ArrayList<>();
            source.glob().scan(paths, directories);
            paths.forEach(path -> found.putIfAbsent(path, source));
        }
        if (watcher != null) {
            watch(watcher, directories);
        }
        Set<Path> previous = new HashSet<>();
        files.values().forEach(file -> previous.add(file.path()));
        Set<FileKey> seen = new HashSet<>();
        for (Map.Entry<Path, Source> entry : found.entrySet()) {
            FileKey.Stat stat;
            try {
                stat = FileKey.stat(entry.getKey());
            } catch (IOException e) {
                continue; // gone since the walk
            }
            if (!stat.regular() || !seen.add(stat.key())) {
                continue;
            }
            TailedFile known = files.get(stat.key());
            if (known != null) {
                if (!known.path().equals(entry.getKey())) {
                    known.movedTo(entry.getKey());
                }
            } else if (open(entry.getKey(), stat.key(), entry.getValue()) && previous.contains(entry.getKey())) {
                meters.renamed().increment();
            }
        }
        overCap.retainAll(seen);
        long now = System.nanoTime();
        files.values().stream().filter(file -> !seen.contains(file.key())).forEach(file -> file.gone(now));
        size = files.size();
    }

    private boolean open(Path path, FileKey key, Source source) {
        if (skipped.contains(key)) {
            return false;
        }
        Names names = source.naming().names(path);
        if (names == null) {
            skip(key, path, "not in the Kubernetes layout");
            return false;
        }
        if (files.size() >= maxFiles) {
            if (overCap.size() < SKIPPED_REMEMBERED && overCap.add(key)) {
                meters.skipped().increment();
                log.warn("not tailing {} for now: max-files ({}) reached; it is read once a tailed file is released",
                        path, maxFiles);
            }
            return false;
        }
        overCap.remove(key);
        Checkpoints.Position position = restored.remove(key);
        long offset = position == null ? 0 : position.offset();
        try {
            LineAssembler assembler = new LineAssembler(names, meters.joined(), meters.split());
            files.put(key, TailedFile.open(key, path, offset, source.format(), assembler, meters));
        } catch (IOException e) {
            skip(key, path, e.toString());
            return false;
        }
        log.info("tailing {} ({}) from offset {} as source id {}, instance id {}", path, key, offset,
                names.sourceId(), names.instanceId());
        return true;
    }

    private void skip(FileKey key, Path path, String why) {
        meters.skipped().increment();
        if (skipped.size() < SKIPPED_REMEMBERED) {
            skipped.add(key);
        }
        log.warn("not tailing {}: {}", path, why);
    }

    private void watch(WatchService watcher, Set<Path> directories) {
        watched.entrySet().removeIf(entry -> {
            boolean leave = !directories.contains(entry.getKey()) || !entry.getValue().isValid();
            if (leave) {
                entry.getValue().cancel();
            }
            return leave;
        });
        for (Path directory : directories) {
            if (!watched.containsKey(directory) && watched.size() < 4 * maxFiles) {
                try {
                    watched.put(directory, directory.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY));
                } catch (IOException e) {
                    // gone since the walk, or not watchable: the poll interval still reads its files
                }
            }
        }
    }

    /** The files, those gone first: an old file is read to its end before its successor. */
    List<TailedFile> inReadingOrder() {
        List<TailedFile> order = new ArrayList<>(files.size());
        files.values().stream().filter(TailedFile::isGone).forEach(order::add);
        files.values().stream().filter(file -> !file.isGone()).forEach(order::add);
        return order;
    }

    /** Releases the gone files that were read to their end and stayed quiet for {@code idleNanos}. */
    void releaseGone(long idleNanos) {
        files.values().removeIf(file -> {
            try {
                if (!file.releasable(idleNanos)) {
                    return false;
                }
            } catch (IOException e) {
                // cannot tell its size any more: released
            }
            log.info("released {} ({})", file.path(), file.key());
            closeQuietly(file);
            return true;
        });
        size = files.size();
    }

    @Override
    public void close() {
        files.values().forEach(FileSet::closeQuietly);
        files.clear();
        watched.values().forEach(WatchKey::cancel);
        watched.clear();
        size = 0;
    }

    private static void closeQuietly(TailedFile file) {
        try {
            file.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
