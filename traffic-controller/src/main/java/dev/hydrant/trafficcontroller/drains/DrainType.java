package dev.hydrant.trafficcontroller.drains;

import java.util.Locale;

/** What a drain receives, from its URL's {@code drain-type} parameter: logs (the default), metrics or all. */
public enum DrainType {
    LOGS, METRICS, ALL;

    /** As the URL and the JSON write it: logs, metrics, all. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type a URL names, or null when the value is none of them. */
    public static DrainType fromWire(String value) {
        for (DrainType type : values()) {
            if (type.wire().equals(value)) {
                return type;
            }
        }
        return null;
    }
}
