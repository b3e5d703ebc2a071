package dev.hydrant.nozzles.syslog.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RFC 5424 structured data elements under Loggregator's private enterprise number 47450: the metric's own
 * element and {@code [tags@47450 ...]} with every envelope tag, keys in byte order. In values {@code \},
 * {@code "} and {@code ]} are escaped with a backslash.
 */
final class StructuredData {

    static final String ENTERPRISE = "@47450";

    private StructuredData() {
    }

    /** {@code [id@47450 k1="v1" k2="v2" ...]} from name, value pairs. */
    static String element(String id, String... pairs) {
        StringBuilder out = new StringBuilder(64).append('[').append(id).append(ENTERPRISE);
        for (int i = 0; i < pairs.length; i += 2) {
            param(out, pairs[i], pairs[i + 1]);
        }
        return out.append(']').toString();
    }

    /** The tags element, or "" when there are no tags. */
    static String tags(Map<String, String> tags) {
        if (tags.isEmpty()) {
            return "";
        }
        List<String> keys = new ArrayList<>(tags.keySet());
        keys.sort(null);
        StringBuilder out = new StringBuilder(32 * keys.size()).append("[tags").append(ENTERPRISE);
        for (String key : keys) {
            param(out, key, tags.get(key));
        }
        return out.append(']').toString();
    }

    /** Whether every key can be an RFC 5424 PARAM-NAME: no '=', space, ']' or '"'. */
    static boolean validKeys(Map<String, String> tags) {
        for (String key : tags.keySet()) {
            for (int i = 0; i < key.length(); i++) {
                char c = key.charAt(i);
                if (c == '=' || c == ' ' || c == ']' || c == '"') {
                    return false;
                }
            }
        }
        return true;
    }

    private static void param(StringBuilder out, String name, String value) {
        out.append(' ').append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '"' || c == ']') {
                out.append('\\');
            }
            out.append(c);
        }
        out.append('"');
    }
}
