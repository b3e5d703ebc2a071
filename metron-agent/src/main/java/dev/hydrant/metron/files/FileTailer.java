package dev.hydrant.metron.files;

import dev.hydrant.metron.ingress.IngressServer;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Tails the inputs' files on one thread and hands their lines, as log envelopes, to the agent's
 * ingress (tagged, counted as {@code ingress}, offered to the drop-oldest buffer, as a gRPC batch
 * is): a writer is never waited for, only its file is read.
 *
 * <p>The thread sleeps in {@link WatchService#poll} (inotify on Linux) until a watched directory
 * reports a change, or for at most the poll interval, after which the globs are evaluated again and
 * every file read anyway: the fallback where there are no filesystem events (with {@code watch=false} the
 * only way: no directory is registered, and the watch service only wakes the thread to stop). Between those, a round
 * ({@link ReadRound}) reads only the files an event names, those gone and those with more to read.
 * Each round reads at most {@link #ROUND_BYTES} per file (renamed and deleted files first, so an old
 * file is read to its end before its successor) and goes round again soon while a file has more.
 *
 * <p>Files are read only while the agent's buffer is at most half full, and a round hands on at most
 * as many lines as fill it to that (give or take a 64 KiB read): a file is its own buffer, so the
 * tailer lets its lines wait on the disk rather than push the buffer's oldest out. A writer is never
 * held up by this; only the agent falls behind it, and catches up when the Dopplers take more.
 *
 * <p>Positions are written every half checkpoint interval, each time up to the lines that have left
 * the agent: after each hand-over the tailer notes how many envelopes have entered the agent's buffer
 * (which numbers them as they come), and a line has left once every envelope numbered below that has
 * been confirmed by a Doppler or counted as dropped ({@link AgentBooks#settled()}), whichever stream
 * carried it and however many newer ones other streams have confirmed. Lines still in the agent
 * (buffer, batch, unconfirmed stream) would be lost by a crash, so they are not yet recorded, however
 * long the Dopplers take. On stop
 * (started after the Doppler pool and stopped before it) reading ends at once and the final
 * positions, of everything handed on, are written before the pool flushes.
 */
public final class FileTailer implements SmartLifecycle {

    /** Bytes read from one file in one round at most. */
    static final int ROUND_BYTES = 256 * 1024;

    /** How long the thread waits before it looks again when a file has more or the buffer is half full. */
    private static final long WAIT_FOR_ROOM = TimeUnit.MILLISECONDS.toNanos(10);

    private static final Logger log = LoggerFactory.getLogger(FileTailer.class);

    private final FileSet files;
    private final Checkpoints checkpoints;
    private final PositionRecorder positions;
    private final FilesSettings settings;
    private final AgentBooks books;
    private final ReadRound round;
    private volatile WatchService watcher;
    private volatile Thread thread;
    private volatile boolean running;

    /**
     * @param ingress  where the envelopes go: the agent's ingress service
     * @param room     free places in the agent's buffer now
     * @param capacity the buffer's size
     * @param books    how many envelopes entered the agent, and up to where they have all left it
     */
    public FileTailer(FilesSettings settings, Checkpoints checkpoints, Consumer<List<Envelope>> ingress,
                      IntSupplier room, int capacity, AgentBooks books, FilesMeters meters) {
        this.books = Objects.requireNonNull(books, "books");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.checkpoints = checkpoints; // null when there is no input: the tailer does not start
        this.positions = new PositionRecorder(checkpoints, meters);
        this.files = new FileSet(settings.sources(), settings.maxFiles(), meters);
        this.round = new ReadRound(files, Objects.requireNonNull(ingress, "ingress"),
                Objects.requireNonNull(room, "room"), capacity, books, Objects.requireNonNull(meters, "meters"),
                settings.idleTimeout().toNanos());
    }

    /** Files tailed now. */
    public int watched() {
        return files.size();
    }

    @Override
    public synchronized void start() {
        if (running || settings.sources().isEmpty()) {
            return;
        }
        try {
            watcher = FileSystems.getDefault().newWatchService();
            files.restore(checkpoints.load());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start tailing files", e);
        }
        running = true;
        thread = new Thread(this::run, "metron-files");
        thread.setDaemon(true);
        thread.start();
        log.info("metron tailing files{}: {}", settings.watch() ? "" : " (no filesystem events: every poll-interval)",
                settings.sources().stream().map(Source::describe).toList());
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        try {
            watcher.close(); // wakes the thread, which writes the final positions
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (IOException e) {
            log.warn("closing the file watcher failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return IngressServer.PHASE;
    }

    private void run() {
        long halfInterval = settings.checkpointInterval().toNanos() / 2;
        long poll = settings.pollInterval().toNanos();
        long nextScan = System.nanoTime();
        long nextCheckpoint = System.nanoTime() + halfInterval;
        boolean more = false;
        try {
            while (running) {
                long now = System.nanoTime();
                boolean scan = now - nextScan >= 0;
                long quiet = Math.max(1, Math.min(nextScan - now, nextCheckpoint - now));
                long wait = scan || more && !round.waitingForRoom() ? 0 : more ? WAIT_FOR_ROOM : quiet;
                scan |= events(watcher.poll(wait, TimeUnit.NANOSECONDS));
                if (scan) {
                    files.scan(settings.watch() ? watcher : null);
                    nextScan = System.nanoTime() + poll;
                }
                more = round.read(scan);
                if (System.nanoTime() - nextCheckpoint >= 0) {
                    positions.recordSettled(files.inReadingOrder(), books.settled());
                    nextCheckpoint = System.nanoTime() + halfInterval;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            log.error("file tailing stopped", e);
        } finally {
            positions.recordHandedOn(files.inReadingOrder());
            files.close();
        }
    }

    /**
     * Takes every pending event, noting the files written to; whether one asks for the globs to be
     * evaluated again and every file read (a file or directory came or went, or events were lost).
     */
    private boolean events(WatchKey first) {
        boolean scan = false;
        for (WatchKey key = first; key != null; key = watcher.poll()) {
            for (WatchEvent<?> event : key.pollEvents()) {
                if (event.kind() == StandardWatchEventKinds.ENTRY_MODIFY && event.context() instanceof Path name
                        && key.watchable() instanceof Path directory) {
                    round.changed(directory.resolve(name));
                } else {
                    scan = true;
                }
            }
            if (!key.reset()) {
                scan = true;
            }
        }
        return scan;
    }
}
