package dev.hydrant.nozzles.splunk.format;

/**
 * One HEC request: events as concatenated JSON objects.
 *
 * @param body   what is sent: the JSON, gzip-compressed when {@code gzipped}
 * @param events the number of events in it
 * @param json   the JSON uncompressed
 * @param ends   the end offset in {@code json} of each event
 */
public record Chunk(byte[] body, int events, byte[] json, int[] ends, boolean gzipped) {
}
