package dev.hydrant.api.convert;

import java.util.List;
import java.util.Optional;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.loggregator.v2.Envelope;

/**
 * The v1/v2 conversions without {@link V1Conversion}'s safety net: {@code V1Conversion} turns any
 * RuntimeException into "nothing to convert", which keeps the hot path alive but would hide a bug from a
 * fuzzer. The fuzz targets call these and count any exception as a finding.
 */
public final class Conversions {

    private Conversions() {
    }

    public static Optional<Envelope> toV2(EventFactory.Envelope v1) {
        return ToV2.convert(v1);
    }

    public static List<EventFactory.Envelope> toV1(Envelope v2) {
        return ToV1.convert(v2);
    }
}
