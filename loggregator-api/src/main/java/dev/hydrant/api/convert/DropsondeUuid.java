package dev.hydrant.api.convert;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.cloudfoundry.dropsonde.events.UuidFactory;

/**
 * The dropsonde UUID: the 16 bytes of a UUID (in their usual, big-endian order) read as two
 * little-endian uint64 halves, {@code low} from bytes 0..7 and {@code high} from bytes 8..15.
 */
final class DropsondeUuid {

    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    static final UuidFactory.UUID ZERO = UuidFactory.UUID.newBuilder().setLow(0).setHigh(0).build();

    private DropsondeUuid() {
    }

    /** The canonical 8-4-4-4-12 hex form only; {@link UUID#fromString} alone accepts more. */
    static Optional<UUID> parse(String text) {
        if (text == null || !CANONICAL.matcher(text).matches()) {
            return Optional.empty();
        }
        return Optional.of(UUID.fromString(text));
    }

    static UuidFactory.UUID toV1(UUID uuid) {
        return UuidFactory.UUID.newBuilder()
                .setLow(Long.reverseBytes(uuid.getMostSignificantBits()))
                .setHigh(Long.reverseBytes(uuid.getLeastSignificantBits()))
                .build();
    }

    static UUID fromV1(UuidFactory.UUID uuid) {
        return new UUID(Long.reverseBytes(uuid.getLow()), Long.reverseBytes(uuid.getHigh()));
    }
}
