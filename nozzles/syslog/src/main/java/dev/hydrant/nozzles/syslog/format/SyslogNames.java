package dev.hydrant.nozzles.syslog.format;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The RFC 5424 header names a drain message carries, made from envelope fields as docs/wire.md section 7
 * says: host name parts and the PROCID's source type are sanitised, the APP-NAME is cut.
 */
final class SyslogNames {

    /** The longest host name label (RFC 1035) and so the longest part of a rebuilt host name. */
    static final int MAX_HOST_PART = 63;
    /** The longest APP-NAME (RFC 5424). */
    static final int MAX_APP_NAME = 48;

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern NOT_HOST = Pattern.compile("[^-a-zA-Z0-9]");
    private static final Pattern NOT_SOURCE_TYPE = Pattern.compile("[^-a-zA-Z0-9/]");
    private static final Pattern TRAILING_DASHES = Pattern.compile("-+$");

    private SyslogNames() {
    }

    /** One part of a host name: whitespace runs become '-', anything else outside [-a-zA-Z0-9] goes. */
    static String hostPart(String value) {
        return sanitise(value, NOT_HOST);
    }

    /** The source type in a PROCID: upper case, sanitised like a host part but keeping '/'. */
    static String sourceType(String value) {
        return sanitise(value.toUpperCase(Locale.ROOT), NOT_SOURCE_TYPE);
    }

    /** The source id cut to 48 characters, or '-' when there is none. */
    static String appName(String sourceId) {
        if (sourceId.isEmpty()) {
            return "-";
        }
        return sourceId.length() > MAX_APP_NAME ? sourceId.substring(0, MAX_APP_NAME) : sourceId;
    }

    private static String sanitise(String value, Pattern outside) {
        if (value.isEmpty()) {
            return value;
        }
        String dashed = WHITESPACE.matcher(value).replaceAll("-");
        String kept = outside.matcher(dashed).replaceAll("");
        String trimmed = TRAILING_DASHES.matcher(kept).replaceAll("");
        // only ASCII is left, so characters are bytes
        return trimmed.length() > MAX_HOST_PART ? trimmed.substring(0, MAX_HOST_PART) : trimmed;
    }
}
