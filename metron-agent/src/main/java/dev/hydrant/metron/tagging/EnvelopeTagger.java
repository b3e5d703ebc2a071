package dev.hydrant.metron.tagging;

import dev.hydrant.api.wire.EncodedEnvelope;
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
 * <p>It works on the envelopes' bytes: the usual envelope (a log, gauge, timer or event with a source id)
 * keeps its bytes, with the host tags it misses appended as map entries, which a parser reads as entries
 * of the same map ({@link EncodedEnvelope#withTagsIfAbsent(EncodedEnvelope.TagEntries)}, the entries encoded once). The rarer ones whose fields change (no source
 * id, counters) are parsed, changed and encoded again. Either way the result parses to what tagging the
 * parsed envelope gives. Works a batch at a time; it never throws on an envelope's content.
 */
public final class EnvelopeTagger {

    private final Map<String, String> hostTags;
    private final EncodedEnvelope.TagEntries hostTagEntries;
    private final CounterTotals counterTotals;

    /**
     * @param hostTags      tags added to every envelope that does not carry them yet; blank values are ignored
     * @param counterTotals where counter totals are kept
     */
    public EnvelopeTagger(Map<String, String> hostTags, CounterTotals counterTotals) {
        Map<String, String> tags = new LinkedHashMap<>();
        hostTags.forEach((key, value) -> {
            if (key != null && !key.isEmpty() && value != null && !value.isBlank()) {
                tags.put(key, value);
            }
        });
        this.hostTags = Map.copyOf(tags);
        this.hostTagEntries = new EncodedEnvelope.TagEntries(this.hostTags);
        this.counterTotals = Objects.requireNonNull(counterTotals, "counterTotals");
    }

    /** Tags a batch in place: each envelope of {@code batch} (a modifiable list) is replaced by its tagged form. */
    public void tag(List<EncodedEnvelope> batch) {
        tag(batch, true);
    }

    /**
     * Tags a batch, in place, whose counters carry absolute totals of their own (a scraped Prometheus counter,
     * one series among many of the same name): host tags and source id as {@link #tag(List)}, the totals kept
     * as they are and not remembered.
     */
    public void tagKeepingTotals(List<EncodedEnvelope> batch) {
        tag(batch, false);
    }

    private void tag(List<EncodedEnvelope> batch, boolean appliesTotals) {
        for (int i = 0, n = batch.size(); i < n; i++) {
            EncodedEnvelope envelope = batch.get(i);
            EncodedEnvelope tagged = tag(envelope, appliesTotals);
            if (tagged != envelope) {
                batch.set(i, tagged);
            }
        }
    }

    /** Tags one envelope; returns it unchanged when there is nothing to do. */
    public EncodedEnvelope tag(EncodedEnvelope envelope) {
        return tag(envelope, true);
    }

    private EncodedEnvelope tag(EncodedEnvelope envelope, boolean appliesTotals) {
        if (envelope.sourceId().isEmpty() || appliesTotals && envelope.type() == Envelope.MessageCase.COUNTER) {
            return EncodedEnvelope.of(tag(envelope.envelope(), appliesTotals));
        }
        return hostTagEntries.isEmpty() ? envelope : envelope.withTagsIfAbsent(hostTagEntries);
    }

    /** Tags one parsed envelope: the whole treatment, for those whose own fields change. */
    private Envelope tag(Envelope envelope, boolean appliesTotals) {
        boolean noSourceId = envelope.getSourceId().isEmpty();
        boolean counter = appliesTotals && envelope.hasCounter();
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
}
