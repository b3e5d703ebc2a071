package dev.hydrant.benchmarks.load;

import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Writes one flat JSON object on one line, keys in the order they are added; absent values are null. */
final class JsonLine {

    private final StringBuilder out = new StringBuilder("{");

    JsonLine add(String key, String value) {
        key(key);
        if (value == null) {
            out.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    JsonLine add(String key, long value) {
        key(key);
        out.append(value);
        return this;
    }

    JsonLine add(String key, boolean value) {
        key(key);
        out.append(value);
        return this;
    }

    /** A number rounded to {@code decimals} places. */
    JsonLine add(String key, double value, int decimals) {
        key(key);
        out.append(Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "null");
        return this;
    }

    JsonLine add(String key, OptionalLong value) {
        key(key);
        out.append(value.isPresent() ? Long.toString(value.getAsLong()) : "null");
        return this;
    }

    /** A whole-number counter, or null. */
    JsonLine add(String key, OptionalDouble value) {
        key(key);
        out.append(value.isPresent() ? Long.toString(Math.round(value.getAsDouble())) : "null");
        return this;
    }

    /** A nested object (written by another JsonLine). */
    JsonLine add(String key, JsonLine object) {
        key(key);
        out.append(object);
        return this;
    }

    JsonLine addLongs(String key, List<Long> values) {
        key(key);
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : ",").append(values.get(i));
        }
        out.append(']');
        return this;
    }

    JsonLine addStrings(String key, List<String> values) {
        key(key);
        out.append('[');
        for (int i = 0; i < values.size(); i++) {
            out.append(i == 0 ? "" : ",");
            quote(values.get(i));
        }
        out.append(']');
        return this;
    }

    private void key(String key) {
        if (out.length() > 1) {
            out.append(',');
        }
        quote(key);
        out.append(':');
    }

    private void quote(String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    @Override
    public String toString() {
        return out + "}";
    }
}
