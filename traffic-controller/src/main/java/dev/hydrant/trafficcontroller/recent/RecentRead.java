package dev.hydrant.trafficcontroller.recent;

import java.util.Objects;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * What one read of the Doppler caches gave (docs/wire.md sections 4 and 6): the merged answer (the
 * newest envelopes, or what the caches hold), how many Dopplers were asked and how many of them did
 * not answer in full (failed, refused or missed the deadline). An answer with misses is partial and
 * says so in {@value #PARTIAL_HEADER}; when no Doppler answered there is nothing to tell from an
 * empty cache, so the endpoints answer 503 instead.
 *
 * @param value  the merged answer
 * @param asked  Dopplers asked
 * @param missed Dopplers of those that did not answer in full
 * @param <T>    what was read
 */
public record RecentRead<T>(T value, int asked, int missed) {

    /** On a partial answer: {@code <missed>/<asked>}, Dopplers that did not answer of those asked. */
    public static final String PARTIAL_HEADER = "X-Hydrant-Partial";

    public RecentRead {
        Objects.requireNonNull(value, "value");
        if (asked < 0 || missed < 0 || missed > asked) {
            throw new IllegalArgumentException("missed " + missed + " of " + asked);
        }
    }

    /** No Doppler answered (or none is known): the answer would say nothing about the cache. */
    public boolean failed() {
        return missed == asked;
    }

    /** An OK builder, marked partial when some Dopplers missed. */
    ServerResponse.BodyBuilder ok() {
        ServerResponse.BodyBuilder ok = ServerResponse.ok();
        if (missed > 0) {
            ok.header(PARTIAL_HEADER, missed + "/" + asked);
        }
        return ok;
    }

    /** Why there is no answer, for the 503's body. */
    String unavailable() {
        return switch (asked) {
            case 0 -> "recent envelopes are unavailable: no Doppler is known";
            case 1 -> "recent envelopes are unavailable: the Doppler did not answer; try again";
            default -> "recent envelopes are unavailable: none of the " + asked + " Dopplers answered; try again";
        };
    }
}
