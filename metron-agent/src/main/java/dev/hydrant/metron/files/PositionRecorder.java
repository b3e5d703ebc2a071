package dev.hydrant.metron.files;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the tailed files' positions in the {@link Checkpoints}: lagging by one write while the
 * tailer runs (what had been handed on at the write before, so that it had time to leave the agent),
 * exact at stop (everything handed on). Positions that did not move are not written again. Used by
 * the tailer's thread only.
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

    /** With {@code lagged}, the positions handed on by the write before; else those handed on now. */
    void record(List<TailedFile> files, boolean lagged) {
        List<Checkpoints.Position> positions = new ArrayList<>(files.size());
        for (TailedFile file : files) {
            long offset = lagged ? file.lagged() : file.committed();
            if (lagged) {
                file.lagged(file.committed());
            }
            positions.add(new Checkpoints.Position(file.key(), offset, file.path()));
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
