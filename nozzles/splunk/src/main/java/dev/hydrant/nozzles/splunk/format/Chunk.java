package dev.hydrant.nozzles.splunk.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * One HEC request: events as concatenated JSON objects. A gzip request's body is made by
 * {@link #compressed()}, on the thread that sends it, so that compressing overlaps encoding the next batch.
 *
 * @param body    what is sent: the JSON, or its gzip; null until {@link #compressed()} when gzipped
 * @param events  the number of events in it
 * @param json    the JSON uncompressed (null once only the body is kept)
 * @param ends    the end offset in {@code json} of each event
 * @param gzipped whether the body is (to be) gzip-compressed
 */
public record Chunk(byte[] body, int events, byte[] json, int[] ends, boolean gzipped) {

    /** This request with its body made: compressed when gzipped; this one when it has its body already. */
    public Chunk compressed() {
        if (body != null) {
            return this;
        }
        return new Chunk(gzipped ? gzip(json) : json, events, json, ends, gzipped);
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 4 + 64);
        try (GZIPOutputStream zip = new FastGzip(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** gzip at the fastest level: JSON logs still shrink several times, for a fraction of the CPU. */
    private static final class FastGzip extends GZIPOutputStream {

        FastGzip(ByteArrayOutputStream out) throws IOException {
            super(out, 64 * 1024);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }
}
