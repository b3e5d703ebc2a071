package dev.hydrant.benchmarks.load;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where a consumer reads the stream: straight from Doppler's gRPC egress, or through the Traffic
 * Controller's v1 websocket firehose or its v2 server-sent-event stream.
 */
enum ConsumerKind {

    /** {@code Egress.BatchedReceiver} on Doppler, mutual TLS, selector "all logs". */
    DOPPLER("doppler"),
    /** {@code /firehose/{id}?filter-type=logs} on the Traffic Controller: one v1 envelope per binary frame. */
    WEBSOCKET("websocket"),
    /** {@code /v2/read?log&shard_id=...} on the Traffic Controller: one JSON batch per event. */
    SSE("sse");

    private final String label;

    ConsumerKind(String label) {
        this.label = label;
    }

    /** The name used on the command line and in the JSON line. */
    String label() {
        return label;
    }

    /** Whether the stream passes through the Traffic Controller. */
    boolean throughTrafficController() {
        return this != DOPPLER;
    }

    /**
     * The kinds named by {@code --consumer}: {@code doppler}, {@code websocket}, {@code sse}, a
     * comma-separated list of them, {@code all} for the three side by side, or {@code none} (no
     * consumer: an intake run, where only the components' counters tell what passed).
     */
    static Set<ConsumerKind> parse(String option) {
        EnumSet<ConsumerKind> kinds = EnumSet.noneOf(ConsumerKind.class);
        if (option.trim().equalsIgnoreCase("none")) {
            return kinds;
        }
        for (String part : option.split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.equals("all")) {
                kinds.addAll(EnumSet.allOf(ConsumerKind.class));
                continue;
            }
            ConsumerKind kind = null;
            for (ConsumerKind candidate : values()) {
                if (candidate.label.equals(name)) {
                    kind = candidate;
                }
            }
            if (kind == null) {
                throw new IllegalArgumentException("--consumer " + option
                        + " is not doppler, websocket, sse, all, none, or a comma-separated list of them");
            }
            kinds.add(kind);
        }
        return kinds;
    }
}
