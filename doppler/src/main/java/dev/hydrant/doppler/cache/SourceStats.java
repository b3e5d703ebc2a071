package dev.hydrant.doppler.cache;

/**
 * What the cache holds for one source id.
 *
 * @param count           envelopes held
 * @param expired         envelopes pushed out of this source's ring so far
 * @param oldestTimestamp smallest timestamp held (UNIX ns), 0 when empty
 * @param newestTimestamp largest timestamp held (UNIX ns), 0 when empty
 */
public record SourceStats(long count, long expired, long oldestTimestamp, long newestTimestamp) {
}
