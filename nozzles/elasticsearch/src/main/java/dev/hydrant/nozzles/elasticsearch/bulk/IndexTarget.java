package dev.hydrant.nozzles.elasticsearch.bulk;

import dev.hydrant.nozzles.elasticsearch.config.ElasticsearchProperties.IndexMode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;

/**
 * Where a document goes: the data stream {@code name}, or the daily index {@code name-yyyy.MM.dd} of the
 * document's UTC day; and which names the index template covers.
 */
public final class IndexTarget {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");
    private static final long NANOS_PER_DAY = 86_400_000_000_000L;

    private final IndexMode mode;
    private final String name;
    private long cachedDay = Long.MIN_VALUE;
    private String cachedIndex = "";

    public IndexTarget(IndexMode mode, String name) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.name = Objects.requireNonNull(name, "name");
    }

    public IndexMode mode() {
        return mode;
    }

    /** The data stream, or the index of the day holding {@code epochNanos}. Called by one thread. */
    String index(long epochNanos) {
        if (mode == IndexMode.DATA_STREAM) {
            return name;
        }
        long day = Math.floorDiv(epochNanos, NANOS_PER_DAY);
        if (day != cachedDay) {
            cachedIndex = name + "-" + LocalDate.ofEpochDay(day).format(DAY);
            cachedDay = day;
        }
        return cachedIndex;
    }

    /** The template's {@code index_patterns}. */
    public List<String> patterns() {
        return mode == IndexMode.DATA_STREAM ? List.of(name) : List.of(name + "-*");
    }

    @Override
    public String toString() {
        return mode == IndexMode.DATA_STREAM ? "data stream " + name : "daily indices " + name + "-yyyy.MM.dd";
    }
}
