package dev.hydrant.api.convert;

import java.util.List;
import java.util.Optional;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * Converts between v1 dropsonde envelopes and v2 envelopes, as Loggregator does (docs/wire.md section 3).
 * Neither direction throws: what cannot be converted gives an empty result, which callers count as dropped.
 *
 * <h2>v2 to v1</h2>
 * <ul>
 *   <li>Envelope: {@code origin} = {@code tags["origin"]}, else {@code source_id}; {@code deployment},
 *       {@code job}, {@code index}, {@code ip} from the tags of those names (set only when the tag exists);
 *       timestamp as is; v1 tags = all other tags, plus the deprecated tags as strings
 *       ({@link PreferredTags#asText}; a string tag of the same name wins), plus {@code source_id} when it is
 *       not empty (so that v1 to v2 finds it again).</li>
 *   <li>Log to LogMessage: payload, OUT/ERR, timestamp, {@code source_id} to {@code app_id},
 *       {@code instance_id} to {@code source_instance}, {@code tags["source_type"]} to {@code source_type}
 *       (and no longer a v1 tag).</li>
 *   <li>Counter to CounterEvent with name, delta and total.</li>
 *   <li>Gauge: when it carries all of {@code cpu}, {@code memory}, {@code disk}, {@code memory_quota},
 *       {@code disk_quota}, those five become one ContainerMetric ({@code source_id} to applicationId,
 *       {@code instance_id} to instanceIndex, 0 when not a number; byte values below 0 become 0); every
 *       other metric becomes one ValueMetric (name, value, unit), in key order.</li>
 *   <li>Timer named {@code http} to HttpStartStop, fields from the tags listed in {@link HttpTags}
 *       (defaults in {@link HttpConversion}); {@code source_id} becomes applicationId when it is a UUID;
 *       instanceIndex from {@code tags["instance_index"]}, else {@code instance_id} when it is a number.
 *       The http tags are not repeated as v1 tags.</li>
 *   <li>Other timers, Events and envelopes without a message: nothing.</li>
 * </ul>
 * Lost: Events and non-http timers entirely; the types of deprecated tag values; gauge units on container
 * metrics; a non-numeric {@code instance_id} of a container metric; fractions of byte gauges; values of http
 * tags that do not parse (a malformed request id becomes all zeros, an unknown method {@code GET}).
 *
 * <h2>v1 to v2</h2>
 * <ul>
 *   <li>Envelope: {@code source_id} = the app id for LogMessage ({@code app_id}), ContainerMetric
 *       ({@code applicationId}) and HttpStartStop ({@code applicationId}) when they have one; else
 *       {@code tags["source_id"]} (removed from the tags); else {@code deployment/job}; else, when the envelope
 *       names neither deployment nor job, the origin. {@code instance_id} = {@code source_instance}
 *       (LogMessage), {@code instanceIndex} (ContainerMetric, HttpStartStop), else {@code index}.
 *       {@code origin}, {@code deployment}, {@code job}, {@code index}, {@code ip} become tags when not empty;
 *       v1 tags are kept.</li>
 *   <li>LogMessage to Log (payload, OUT/ERR) with {@code tags["source_type"]}; the log's own timestamp is
 *       used when the envelope has none.</li>
 *   <li>ValueMetric to a Gauge with one metric; CounterEvent to Counter (total 0 when absent).</li>
 *   <li>ContainerMetric to a Gauge with {@code cpu} (unit {@code percentage}), {@code memory},
 *       {@code disk}, {@code memory_quota}, {@code disk_quota} (unit {@code bytes}).</li>
 *   <li>HttpStartStop to a Timer named {@code http} with start, stop and the http tags; the request id as a
 *       UUID string, peer type and method by enum name, forwarded joined by line feeds.</li>
 *   <li>Error to an Event: title = source, body = message, {@code tags["code"]} = code.</li>
 * </ul>
 * Lost: the LogMessage timestamp when the envelope has its own; uint64 byte counts above 2^53 lose precision
 * as doubles; the distinction between an absent and an empty optional string.
 */
public final class V1Conversion {

    private V1Conversion() {
    }

    /**
     * The v1 envelopes a v1 consumer sees for {@code v2}: one for most types, one per gauge metric, none
     * for Events and non-http timers. Every returned envelope has its required fields set; never throws
     * (a null or unconvertible envelope gives an empty list).
     */
    public static List<EventFactory.Envelope> toV1(Envelope v2) {
        if (v2 == null) {
            return List.of();
        }
        try {
            return ToV1.convert(v2);
        } catch (RuntimeException unexpected) {
            // The hot path never throws: an envelope we cannot express in v1 is dropped by the caller.
            return List.of();
        }
    }

    /**
     * The v2 form of {@code v1}; empty when it has nothing convertible (no event type, or the message its
     * event type names is missing). Never throws.
     */
    public static Optional<Envelope> toV2(EventFactory.Envelope v1) {
        if (v1 == null) {
            return Optional.empty();
        }
        try {
            return ToV2.convert(v1);
        } catch (RuntimeException unexpected) {
            return Optional.empty();
        }
    }
}
