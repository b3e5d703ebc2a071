package dev.hydrant.nozzles.syslog.format;

import java.util.Locale;

/**
 * The RFC 5424 header names a drain message carries, made from envelope fields as docs/wire.md section 7
 * says: host name parts and the PROCID's source type are sanitised, the APP-NAME is cut.
 */
final class SyslogNames {

    /** The longest host name label (RFC 1035) and so the longest part of a rebuilt host name. */
    static final int MAX_HOST_PART = 63;
    /** The longest APP-NAME (RFC 5424). */
    static final int MAX_APP_NAME = 48;

    private SyslogNames() {
    }

    /** One part of a host name: whitespace runs become '-', anything else outside [-a-zA-Z0-9] goes. */
    static String hostPart(String value) {
        return sanitise(value, false);
    }

    /** The source type in a PROCID: upper case, sanitised like a host part but keeping '/'. */
    static String sourceType(String value) {
        return sanitise(value.toUpperCase(Locale.ROOT), true);
    }

    /** The source id cut to 48 characters, or '-' when there is none. */
    static String appName(String sourceId) {
        if (sourceId.isEmpty()) {
            return "-";
        }
        return sourceId.length() > MAX_APP_NAME ? sourceId.substring(0, MAX_APP_NAME) : sourceId;
    }

    /**
     * Each run of whitespace (space, tab, line feed, vertical tab, form feed, carriage return) becomes one '-',
     * every other character outside [-a-zA-Z0-9] (and '/' when {@code slash}) goes, trailing dashes go, and the
     * rest is cut to {@link #MAX_HOST_PART}. Called for every message: a value that needs nothing is returned as
     * it is, without a copy.
     */
    private static String sanitise(String value, boolean slash) {
        if (clean(value, slash)) {
            return value;
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_HOST_PART + 1));
        boolean inWhitespace = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (whitespace(c)) {
                if (!inWhitespace) {
                    out.append('-');
                }
                inWhitespace = true;
                continue;
            }
            inWhitespace = false;
            if (kept(c, slash)) {
                out.append(c);
            }
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == '-') {
            end--;
        }
        // only ASCII is left, so characters are bytes
        return out.substring(0, Math.min(end, MAX_HOST_PART));
    }

    private static boolean clean(String value, boolean slash) {
        int length = value.length();
        if (length > MAX_HOST_PART || length > 0 && value.charAt(length - 1) == '-') {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (!kept(value.charAt(i), slash)) {
                return false;
            }
        }
        return true;
    }

    private static boolean whitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    private static boolean kept(char c, boolean slash) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || slash && c == '/';
    }
}
