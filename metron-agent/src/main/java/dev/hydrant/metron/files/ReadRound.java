package dev.hydrant.metron.files;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * One round of reading for {@link FileTailer}, on its thread only: reads at most
 * {@link FileTailer#ROUND_BYTES} from each file that is due, in the file set's reading order, and hands
 * the lines on to the agent's ingress, as long as the agent's buffer is at most half full; a round
 * hands on at most as many lines as fill it to that (give or take a 64 KiB read). It remembers the
 * files written to since the last round (from the watch events) and whether the last round left a
 * file unread for want of room.
 */
final class ReadRound {

    private final FileSet files;
    private final Consumer<List<Envelope>> ingress;
    private final IntSupplier room;
    private final int capacity;
    private final AgentBooks books;
    private final FilesMeters meters;
    private final long idle;
    /** Files written to since the last round, by their path. */
    private final Set<Path> changed = new HashSet<>();
    /** Whether the last round left a file unread because the buffer was half full. */
    private boolean waitingForRoom;

    /**
     * @param room     free places in the agent's buffer now
     * @param capacity the buffer's size
     * @param books    how many envelopes entered the agent's buffer
     * @param idle     how long (nanoseconds) a partial line may wait, and a gone file stay, without more
     */
    ReadRound(FileSet files, Consumer<List<Envelope>> ingress, IntSupplier room, int capacity, AgentBooks books,
              FilesMeters meters, long idle) {
        this.files = files;
        this.ingress = ingress;
        this.room = room;
        this.capacity = capacity;
        this.books = books;
        this.meters = meters;
        this.idle = idle;
    }

    /** Notes that a watch event said the file at {@code path} was written to. */
    void changed(Path path) {
        changed.add(path);
    }

    /** Whether the last round left a file unread because the buffer was half full. */
    boolean waitingForRoom() {
        return waitingForRoom;
    }

    /**
     * Reads once, as long as the buffer is at most half full, every file ({@code all}) or those that
     * are due: written to (an event), gone, or left with more to read by the round before. Returns
     * whether a file has more to read (or the buffer had no room), so that the thread goes round again soon.
     */
    boolean read(boolean all) {
        boolean more = false;
        waitingForRoom = false;
        for (TailedFile file : files.inReadingOrder()) {
            if (!all && !file.isGone() && !file.behind() && !changed.contains(file.path())) {
                continue;
            }
            List<Envelope> out = new ArrayList<>();
            int free = room.getAsInt() - capacity / 2;
            try {
                if (free > 0) {
                    file.behind(file.read(FileTailer.ROUND_BYTES, free, out) >= FileTailer.ROUND_BYTES
                            || out.size() >= free);
                    file.flushIdle(idle, out);
                } else {
                    file.behind(true); // the file waits on the disk until the buffer has room
                    waitingForRoom = true;
                }
                more |= file.behind();
            } catch (IOException e) {
                file.gone(System.nanoTime());
            }
            if (!out.isEmpty()) {
                ingress.accept(out);
                file.handedOn(books.entered());
                meters.lines().increment(out.size());
            }
        }
        changed.clear();
        files.releaseGone(idle);
        return more;
    }
}
