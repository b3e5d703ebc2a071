package dev.hydrant.metron.tagging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * Prepares envelopes for the pipe as the agent of their host: an empty {@code source_id} falls
 * back to {@code tags["origin"]}, the host's deployment, job, index and ip tags are added (an
 * emitter's own tag of the same key wins), and counters get the running total the agent keeps.
 *
 * <p>Works a batch at a time; it never throws on an envelope's content.
 */
public final class EnvelopeTagger {

    private final Map<String, String> hostTags;
    private final CounterTotals counterTotals;

    /**
     * @param hostTags      tags added to every envelope that does not carry them yet; blank values are ignored
     * @param counterTotals where counter totals are kept
     */
    public EnvelopeTagger(Map<String, String> hostTags, CounterTotals counterTotals) {
        Map<String, String> tags = new LinkedHashMap<>();
        hostTags.forEach((key, value) -> {
            if (value != null && !value.isBlank()) {
                tags.put(key, value);
            }
        });
        this.hostTags = Map.copyOf(tags);
        this.counterTotals = Objects.requireNonNull(counterTotals, "counterTotals");
    }

    /** Tags a batch; the result is a new list in the same order. */
    public List<Envelope> tag(List<Envelope> batch) {
        List<Envelope> tagged = new ArrayList<>(batch.size());
        for (int i = 0, n = batch.size(); i < n; i++) {
            tagged.add(tag(batch.get(i)));
        }
        return tagged;
    }

    /**
     * Tags a batch whose counters carry absolute totals of their own (a scraped Prometheus counter,
     * one series among many of the same name): host tags and source id as {@link #tag(List)}, the
     * totals kept as they are and not remembered.
     */
    public List<Envelope> tagKeepingTotals(List<Envelope> batch) {
        List<Envelope> tagged = new ArrayList<>(batch.size());
        for (int i = 0, n = batch.size(); i < n; i++) {
            tagged.add(tag(batch.get(i), false));
        }
        return tagged;
    }

    /** Tags one envelope; returns it unchanged when there is nothing to do. */
    public Envelope tag(Envelope envelope) {
        return tag(envelope, true);
    }

    private Envelope tag(Envelope envelope, boolean appliesTotals) {
        boolean noSourceId = envelope.getSourceId().isEmpty();
        boolean counter = appliesTotals && envelope.hasCounter();
        if (!noSourceId && !counter && !missesHostTag(envelope)) {
            return envelope;
        }
        Envelope.Builder builder = envelope.toBuilder();
        if (noSourceId) {
            builder.setSourceId(envelope.getTagsOrDefault("origin", ""));
        }
        for (Map.Entry<String, String> tag : hostTags.entrySet()) {
            if (!envelope.containsTags(tag.getKey())) {
                builder.putTags(tag.getKey(), tag.getValue());
            }
        }
        if (counter) {
            var c = envelope.getCounter();
            long total = counterTotals.apply(builder.getSourceId(), c.getName(), c.getDelta(), c.getTotal());
            builder.getCounterBuilder().setTotal(total);
        }
        return builder.build();
    }

    private boolean missesHostTag(Envelope envelope) {
        for (String key : hostTags.keySet()) {
            if (!envelope.containsTags(key)) {
                return true;
            }
        }
        return false;
    }
}
