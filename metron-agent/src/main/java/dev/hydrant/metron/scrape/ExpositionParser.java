package dev.hydrant.metron.scrape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses the Prometheus text exposition format, version 0.0.4: {@code # HELP} and other comments
 * are skipped, {@code # TYPE name kind} gives the kind of the family {@code name}, and every other
 * non-blank line is a sample {@code name[{label="value",...}] value [timestamp]}. Label values
 * unescape {@code \\}, {@code \"} and {@code \n}; values take {@code NaN}, {@code +Inf} and
 * {@code -Inf}; timestamps are integer milliseconds.
 *
 * <p>The samples of a histogram ({@code _bucket}, {@code _sum}, {@code _count}) and of a summary
 * ({@code _sum}, {@code _count} and the quantiles) take the kind of their family. A line that does
 * not parse fails the whole exposition, as Prometheus fails such a scrape.
 */
public final class ExpositionParser {

    private ExpositionParser() {
    }

    /** The samples of {@code text}, in order; throws {@link MalformedExposition} naming the first bad line. */
    public static List<Sample> parse(String text) {
        Map<String, Sample.Kind> kinds = new HashMap<>();
        List<Sample> samples = new ArrayList<>();
        int lineNumber = 0;
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            lineNumber++;
            String line = text.substring(start, end);
            start = end + 1;
            try {
                parseLine(line, kinds, samples);
            } catch (MalformedExposition e) {
                throw new MalformedExposition("line " + lineNumber + ": " + e.getMessage());
            }
        }
        return samples;
    }

    private static void parseLine(String line, Map<String, Sample.Kind> kinds, List<Sample> samples) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return;
        }
        if (trimmed.charAt(0) == '#') {
            typeLine(trimmed, kinds);
            return;
        }
        samples.add(sampleLine(trimmed, kinds));
    }

    /** {@code # TYPE name kind}; any other comment (HELP included) says nothing about the samples. */
    private static void typeLine(String line, Map<String, Sample.Kind> kinds) {
        String[] tokens = line.substring(1).strip().split("[ \t]+");
        if (tokens.length >= 3 && tokens[0].equals("TYPE")) {
            try {
                kinds.put(tokens[1], Sample.Kind.valueOf(tokens[2].toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new MalformedExposition("unknown metric type '" + tokens[2] + "'");
            }
        }
    }

    private static Sample sampleLine(String line, Map<String, Sample.Kind> kinds) {
        Cursor at = new Cursor(line);
        String name = at.name();
        if (name.isEmpty()) {
            throw new MalformedExposition("no metric name");
        }
        at.skipBlanks();
        Map<String, String> labels = at.peek() == '{' ? at.labels() : Collections.emptyMap();
        at.skipBlanks();
        String[] rest = at.rest().split("[ \t]+");
        if (rest.length == 0 || rest[0].isEmpty() || rest.length > 2) {
            throw new MalformedExposition("expected a value and at most a timestamp after " + name);
        }
        double value = value(rest[0]);
        long timestamp = Sample.NO_TIMESTAMP;
        if (rest.length == 2) {
            try {
                timestamp = Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new MalformedExposition("timestamp '" + rest[1] + "' is not an integer");
            }
        }
        return new Sample(name, labels, value, timestamp, kindOf(name, kinds));
    }

    static double value(String token) {
        switch (token.toLowerCase(Locale.ROOT)) {
            case "nan" -> {
                return Double.NaN;
            }
            case "+inf", "inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
                try {
                    return Double.parseDouble(token);
                } catch (NumberFormatException e) {
                    throw new MalformedExposition("value '" + token + "' is not a number");
                }
            }
        }
    }

    /** The kind of a sample's family: its own name's, or that of the histogram or summary it is a part of. */
    private static Sample.Kind kindOf(String name, Map<String, Sample.Kind> kinds) {
        Sample.Kind own = kinds.get(name);
        if (own != null) {
            return own;
        }
        for (String suffix : new String[] {"_bucket", "_sum", "_count"}) {
            if (name.endsWith(suffix)) {
                Sample.Kind family = kinds.get(name.substring(0, name.length() - suffix.length()));
                if (family == Sample.Kind.HISTOGRAM || family == Sample.Kind.SUMMARY && !suffix.equals("_bucket")) {
                    return family;
                }
            }
        }
        return Sample.Kind.UNTYPED;
    }

    /** Reads a sample line left to right. */
    private static final class Cursor {

        private final String line;
        private int at;

        Cursor(String line) {
            this.line = line;
        }

        char peek() {
            return at < line.length() ? line.charAt(at) : '\0';
        }

        void skipBlanks() {
            while (peek() == ' ' || peek() == '\t') {
                at++;
            }
        }

        String rest() {
            return line.substring(at).strip();
        }

        /** A metric or label name: {@code [a-zA-Z_:][a-zA-Z0-9_:]*}. */
        String name() {
            int from = at;
            while (at < line.length()) {
                char c = line.charAt(at);
                boolean letter = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':';
                if (!(letter || at > from && c >= '0' && c <= '9')) {
                    break;
                }
                at++;
            }
            return line.substring(from, at);
        }

        /** {@code {name="value",...}} with an optional trailing comma. */
        Map<String, String> labels() {
            Map<String, String> labels = new LinkedHashMap<>();
            at++; // '{'
            while (true) {
                skipBlanks();
                if (peek() == '}') {
                    at++;
                    return labels;
                }
                String label = name();
                if (label.isEmpty()) {
                    throw new MalformedExposition("expected a label name at column " + (at + 1));
                }
                skipBlanks();
                expect('=');
                skipBlanks();
                expect('"');
                labels.put(label, quoted());
                skipBlanks();
                if (peek() == ',') {
                    at++;
                } else if (peek() != '}') {
                    throw new MalformedExposition("expected ',' or '}' at column " + (at + 1));
                }
            }
        }

        /** The rest of a label value after its opening quote, unescaped, up to and past its closing quote. */
        private String quoted() {
            StringBuilder value = new StringBuilder();
            while (at < line.length()) {
                char c = line.charAt(at++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\' && at < line.length()) {
                    char escaped = line.charAt(at++);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            throw new MalformedExposition("label value not closed");
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new MalformedExposition("expected '" + c + "' at column " + (at + 1));
            }
            at++;
        }
    }
}
