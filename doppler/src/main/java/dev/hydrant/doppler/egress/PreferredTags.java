package dev.hydrant.doppler.egress;

import java.math.BigDecimal;
import java.util.Map;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Value;

/**
 * {@code use_preferred_tags = true}: moves {@code deprecated_tags} into {@code tags} as strings.
 * A key already present in {@code tags} keeps its value there.
 */
final class PreferredTags {

    private PreferredTags() {
    }

    static Envelope apply(Envelope envelope) {
        if (envelope.getDeprecatedTagsCount() == 0) {
            return envelope;
        }
        Envelope.Builder builder = envelope.toBuilder().clearDeprecatedTags();
        for (Map.Entry<String, Value> tag : envelope.getDeprecatedTagsMap().entrySet()) {
            if (!envelope.containsTags(tag.getKey())) {
                builder.putTags(tag.getKey(), text(tag.getValue()));
            }
        }
        return builder.build();
    }

    static String text(Value value) {
        return switch (value.getDataCase()) {
            case TEXT -> value.getText();
            case INTEGER -> Long.toString(value.getInteger());
            case DECIMAL -> Double.isFinite(value.getDecimal())
                    ? BigDecimal.valueOf(value.getDecimal()).stripTrailingZeros().toPlainString()
                    : Double.toString(value.getDecimal());
            case DATA_NOT_SET -> "";
        };
    }
}
