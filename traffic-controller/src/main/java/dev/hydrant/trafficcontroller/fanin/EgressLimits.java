package dev.hydrant.trafficcontroller.fanin;

import java.nio.charset.StandardCharsets;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;

/**
 * Bounds on what one client may ask the Dopplers for, the same for gRPC egress and {@code /v2/read}
 * (docs/wire.md sections 2 and 5): at least one selector, at most {@code maxSelectors} (every
 * envelope is matched against each selector of each subscriber), a {@code shard_id} of at most
 * {@link #MAX_SHARD_ID_BYTES} bytes (it is a map key in every Doppler and the Traffic Controller) and a
 * {@code deterministic_name} of at most {@link #MAX_DETERMINISTIC_NAME_BYTES} bytes (held by every Doppler for as
 * long as the stream is open).
 *
 * @param maxSelectors selectors allowed in one request, the legacy selector included
 */
public record EgressLimits(int maxSelectors) {

    /** Longest shard id accepted, in UTF-8 bytes. */
    public static final int MAX_SHARD_ID_BYTES = 256;
    /** Longest deterministic name accepted, in UTF-8 bytes. */
    public static final int MAX_DETERMINISTIC_NAME_BYTES = 256;

    /** What is wrong with the request, as a message for the client, or null when it is within bounds. */
    public String violation(EgressBatchRequest request) {
        int selectors = request.getSelectorsCount() + (request.hasLegacySelector() ? 1 : 0);
        if (selectors == 0) {
            return "at least one selector is required";
        }
        if (selectors > maxSelectors) {
            return "at most " + maxSelectors + " selectors are allowed, " + selectors + " given";
        }
        if (longerThan(request.getShardId(), MAX_SHARD_ID_BYTES)) {
            return "shard_id may be at most " + MAX_SHARD_ID_BYTES + " bytes long";
        }
        if (longerThan(request.getDeterministicName(), MAX_DETERMINISTIC_NAME_BYTES)) {
            return "deterministic_name may be at most " + MAX_DETERMINISTIC_NAME_BYTES + " bytes long";
        }
        return null;
    }

    /** Whether {@code value} takes more than {@code bytes} bytes in UTF-8. */
    public static boolean longerThan(String value, int bytes) {
        return value.length() > bytes || value.getBytes(StandardCharsets.UTF_8).length > bytes;
    }
}
