package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a Prometheus text endpoint, and sums over its series. A series matches a
 * metric name and a set of {@code label="value"} pairs when it has that name and all of
 * those pairs; other labels (application, instance ...) are summed over.
 */
final class PrometheusScrape {

    private final List<String> lines;

    private PrometheusScrape(List<String> lines) {
        this.lines = lines;
    }

    /** Scrapes {@code uri}; an unreachable endpoint gives an empty scrape, in which every sum is absent. */
    static PrometheusScrape of(URI uri) {
        if (uri == null) {
            return new PrometheusScrape(List.of());
        }
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return new PrometheusScrape(List.of());
            }
            return new PrometheusScrape(response.body().lines().filter(l -> !l.startsWith("#")).toList());
        } catch (IOException e) {
            return new PrometheusScrape(List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PrometheusScrape(List.of());
        }
    }

    /** Whether both scrapes show the same ingress, egress and dropped counters. */
    boolean sameCounters(PrometheusScrape other) {
        for (String metric : new String[] {"ingress_total", "egress_total", "dropped_total"}) {
            if (!sum(metric).equals(other.sum(metric))) {
                return false;
            }
        }
        return true;
    }

    /** Parses Prometheus text, for tests. */
    static PrometheusScrape parse(String text) {
        return new PrometheusScrape(text.lines().filter(l -> !l.startsWith("#")).toList());
    }

    /**
     * The sum of every series named {@code metric} carrying all of {@code labels} (each
     * {@code name="value"}), or empty if there is none.
     */
    OptionalDouble sum(String metric, String... labels) {
        double total = 0;
        boolean found = false;
        for (String line : lines) {
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String series = line.substring(0, space);
            int brace = series.indexOf('{');
            String name = brace < 0 ? series : series.substring(0, brace);
            if (!name.equals(metric) || !hasLabels(brace < 0 ? "" : series.substring(brace), labels)) {
                continue;
            }
            try {
                total += Double.parseDouble(line.substring(space + 1).trim());
                found = true;
            } catch (NumberFormatException ignored) {
                // not a sample line
            }
        }
        return found ? OptionalDouble.of(total) : OptionalDouble.empty();
    }

    /** The values of label {@code label} on the series named {@code metric}, in the order first seen. */
    Set<String> labelValues(String metric, String label) {
        Set<String> values = new LinkedHashSet<>();
        Pattern pattern = Pattern.compile("[{,]" + Pattern.quote(label) + "=\"([^\"]*)\"");
        for (String line : lines) {
            int brace = line.indexOf('{');
            if (brace > 0 && line.substring(0, brace).equals(metric)) {
                Matcher matcher = pattern.matcher(line.substring(brace));
                if (matcher.find()) {
                    values.add(matcher.group(1));
                }
            }
        }
        return values;
    }

    private static boolean hasLabels(String labelSet, String... labels) {
        for (String label : labels) {
            if (!labelSet.contains("{" + label) && !labelSet.contains("," + label)) {
                return false;
            }
        }
        return true;
    }
}
