package dev.hydrant.nozzles.splunk.format;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * Where an envelope goes in Splunk: its index, host, source and sourcetype, from its source id and tags.
 *
 * @param index        the index of every event; none (the token's default) when null
 * @param metricsIndex the index of metric events, before the other rules; none when null
 * @param indexTag     a tag whose value names the index, before the other rules; none when null
 * @param indexes      index by source id
 * @param hostTags     the first of these tags present is the host; unset otherwise
 * @param sourceTags   the first of these tags present is the source; the source id otherwise
 * @param fields       fixed fields added to every event
 * @param sourcetypes  sourcetype by envelope type
 */
public record Mapping(String index, String metricsIndex, String indexTag, Map<String, String> indexes,
                      List<String> hostTags, List<String> sourceTags, Map<String, String> fields,
                      Sourcetypes sourcetypes) {

    /** @param containerMetric a gauge with {@code cpu}, {@code memory} and {@code disk} */
    public record Sourcetypes(String log, String counter, String gauge, String containerMetric, String timer,
                              String event) {

        public static Sourcetypes cloudFoundry() {
            return new Sourcetypes("cf:logmessage", "cf:counterevent", "cf:valuemetric", "cf:containermetric",
                    "cf:timer", "cf:event");
        }
    }

    public Mapping {
        index = blankToNull(index);
        metricsIndex = blankToNull(metricsIndex);
        indexTag = blankToNull(indexTag);
        indexes = Map.copyOf(indexes);
        hostTags = List.copyOf(hostTags);
        sourceTags = List.copyOf(sourceTags);
        fields = Map.copyOf(fields);
        Objects.requireNonNull(sourcetypes, "sourcetypes");
    }

    /** Cloud Foundry's defaults: host from the {@code ip} tag, source = source id, the token's index. */
    public static Mapping defaults() {
        return new Mapping(null, null, null, Map.of(), List.of("ip"), List.of(), Map.of(), Sourcetypes.cloudFoundry());
    }

    /** The index of {@code envelope}, or null for the token's default. */
    String index(Envelope envelope, boolean metric) {
        if (indexTag != null) {
            String tagged = envelope.getTagsMap().get(indexTag);
            if (tagged != null && !tagged.isEmpty()) {
                return tagged;
            }
        }
        if (metric && metricsIndex != null) {
            return metricsIndex;
        }
        String bySource = indexes.get(envelope.getSourceId());
        return bySource != null ? bySource : index;
    }

    String host(Envelope envelope) {
        return firstTag(envelope, hostTags, null);
    }

    String source(Envelope envelope) {
        return firstTag(envelope, sourceTags, envelope.getSourceId());
    }

    private static String firstTag(Envelope envelope, List<String> tags, String otherwise) {
        for (String tag : tags) {
            String value = envelope.getTagsMap().get(tag);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return otherwise == null || otherwise.isEmpty() ? null : otherwise;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
