package dev.hydrant.metron.files;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The tailer's settings, checked: every input's glob and naming templates.
 *
 * @param sources the inputs, in the order configured (a file matched by two is read by the first)
 * @param watch   whether filesystem events wake the tailer, or only the poll interval
 */
public record FilesSettings(List<Source> sources, Duration checkpointInterval, Duration pollInterval,
                            Duration idleTimeout, int maxFiles, boolean watch) {

    /** The settings of {@code properties}; an input that is wrong stops start-up naming its setting. */
    public static FilesSettings of(FilesProperties properties) {
        List<Source> sources = new ArrayList<>();
        for (int i = 0; i < properties.inputs().size(); i++) {
            sources.add(Source.of(properties.inputs().get(i), i));
        }
        return new FilesSettings(List.copyOf(sources), properties.checkpointInterval(), properties.pollInterval(),
                properties.idleTimeout(), properties.maxFiles(), properties.watch());
    }
}
