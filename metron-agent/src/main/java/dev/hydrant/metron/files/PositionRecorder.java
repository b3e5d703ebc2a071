package dev.hydrant.metron.files;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the tailed files' positions in the {@link Checkpoints}: while the tailer runs, up to the
 * lines that have left the agent (confirmed by a Doppler or counted as dropped, see
 * {@link TailedFile#settled(long)}), so that a crash loses none still held; at stop, everything
 * handed on (the stop flushes the agent after). Positions that did not move are not written again.
 * Used by the tailer's thread only.
 */
final class PositionRecorder {

    private static final Logger log = LoggerFactory.getLogger(PositionRecorder.class);

    private final Checkpoints checkpoints;
    private final FilesMeters meters;
    private List<Checkpoints.Position> written = List.of();

    PositionRecorder(Checkpoints checkpoints, FilesMeters meters) {
        this.checkpoints = checkpoints;
        this.meters = meters;
    }

    /** The positions up to which lines have left the agent, every envelope numbered below {@code settled} having left it. */
    void recordSettled(List<TailedFile> files, long settled) {
        write(files, file -> file.settled(settled));
    }

    /** The positions up to which lines were handed on (at stop, before the agent flushes). */
    void recordHandedOn(List<TailedFile> files) {
        write(files, TailedFile::committed);
    }

    private void write(List<TailedFile> files, ToLongFunction<TailedFile> offset) {
        List<Checkpoints.Position> positions = new ArrayList<>(files.size());
        for (TailedFile file : files) {
            positions.add(new Checkpoints.Position(file.key(), offset.applyAsLong(file), file.path()));
        }
        if (positions.equals(written)) {
            return; // nothing moved: the disk is left alone
        }
        try {
            checkpoints.write(positions);
            written = positions;
            meters.checkpointWrites().increment();
        } catch (IOException e) {
            meters.checkpointFailures().increment();
            log.warn("cannot write file positions: {}", e.toString());
        }
    }
}
