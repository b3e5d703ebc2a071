package dev.hydrant.cli.format;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;

/**
 * A log envelope as {@code cf logs} prints it:
 * {@code 2026-11-21T10:00:00.00+0000 [APP/PROC/WEB/0] OUT message}: the time to hundredths of a second in
 * the local offset, the source type (tag {@code source_type}) and instance id, OUT or ERR, and the payload
 * without its trailing line break.
 */
public final class LogLine {

    private final DateTimeFormatter time;

    public LogLine(ZoneId zone) {
        this.time = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSZ").withZone(Objects.requireNonNull(zone, "zone"));
    }

    /** The line of a log envelope. */
    public String format(Envelope envelope) {
        Log log = envelope.getLog();
        return timestamp(envelope.getTimestamp()) + " [" + origin(envelope) + "] "
                + (log.getType() == Log.Type.ERR ? "ERR" : "OUT") + " " + message(log);
    }

    /** UNIX nanoseconds as {@code 2026-11-21T10:00:00.00+0000} in this formatter's zone. */
    public String timestamp(long unixNanos) {
        return time.format(Instant.ofEpochSecond(0, unixNanos));
    }

    /** {@code SOURCE_TYPE/instance}, or whichever of the two is there; empty when neither is. */
    public static String origin(Envelope envelope) {
        String sourceType = envelope.getTagsOrDefault("source_type", "");
        String instance = envelope.getInstanceId();
        if (sourceType.isEmpty()) {
            return instance;
        }
        return instance.isEmpty() ? sourceType : sourceType + "/" + instance;
    }

    /** The payload as UTF-8, without trailing line breaks. */
    static String message(Log log) {
        String text = log.getPayload().toString(StandardCharsets.UTF_8);
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
            end--;
        }
        return text.substring(0, end);
    }
}
