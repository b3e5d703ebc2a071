package dev.hydrant.api.convert;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Value;

/**
 * Flattens v2 {@code deprecated_tags} into string {@code tags}, as egress does for
 * {@code use_preferred_tags = true} and as the v1 form needs (docs/wire.md sections 2 and 3).
 *
 * <p>Rendering: text as is, integers in decimal, decimals in plain notation without exponent
 * ({@code 1.5}, {@code 10000000000}), {@code NaN} and {@code Infinity} by name, an unset value as the empty
 * string. When a key is in both maps, the string tag wins.
 */
public final class PreferredTags {

    private PreferredTags() {
    }

    /** The envelope with its deprecated tags moved into tags; the same instance when it has none. */
    public static Envelope flatten(Envelope envelope) {
        Objects.requireNonNull(envelope, "envelope");
        if (envelope.getDeprecatedTagsCount() == 0) {
            return envelope;
        }
        Envelope.Builder builder = envelope.toBuilder().clearDeprecatedTags();
        for (Map.Entry<String, Value> tag : envelope.getDeprecatedTagsMap().entrySet()) {
            if (!envelope.containsTags(tag.getKey())) {
                builder.putTags(tag.getKey(), asText(tag.getValue()));
            }
        }
        return builder.build();
    }

    /** A deprecated tag value as the string a v1 consumer or a preferred-tags subscriber sees. */
    public static String asText(Value value) {
        Objects.requireNonNull(value, "value");
        switch (value.getDataCase()) {
            case TEXT:
                return value.getText();
            case INTEGER:
                return Long.toString(value.getInteger());
            case DECIMAL:
                double decimal = value.getDecimal();
                return Double.isFinite(decimal) ? BigDecimal.valueOf(decimal).toPlainString() : Double.toString(decimal);
            default:
                return "";
        }
    }
}
