package dev.hydrant.nozzles.syslog.format;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * An envelope's time as an RFC 5424 TIMESTAMP the way Loggregator writes it: UTC with {@code +00:00}
 * (never {@code Z}), the fraction cut (not rounded) to microseconds and its trailing zeros dropped.
 */
final class SyslogTimestamp {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private SyslogTimestamp() {
    }

    static void append(long unixNanos, StringBuilder out) {
        long seconds = Math.floorDiv(unixNanos, NANOS_PER_SECOND);
        int nanos = (int) Math.floorMod(unixNanos, NANOS_PER_SECOND);
        LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        pad(out, time.getYear(), 4).append('-');
        pad(out, time.getMonthValue(), 2).append('-');
        pad(out, time.getDayOfMonth(), 2).append('T');
        pad(out, time.getHour(), 2).append(':');
        pad(out, time.getMinute(), 2).append(':');
        pad(out, time.getSecond(), 2);
        int micros = nanos / 1_000;
        if (micros > 0) {
            int digits = 6;
            while (micros % 10 == 0) {
                micros /= 10;
                digits--;
            }
            out.append('.');
            pad(out, micros, digits);
        }
        out.append("+00:00");
    }

    private static StringBuilder pad(StringBuilder out, int value, int width) {
        String text = Integer.toString(value);
        for (int i = text.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(text);
    }
}
