package dev.hydrant.testsupport.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A component's meters as the rows of the metrics table in its README
 * ({@code | meter | Prometheus | kind | meaning |}), to hold the README to the one place in the
 * code where the meters are declared and described.
 */
public final class MetricsTable {

    /**
     * One meter: {@code dropped{direction=egress}}, counter, its description.
     *
     * @param meter   the Micrometer name, with its tags as {@code {key=value}}
     * @param kind    {@code counter} or {@code gauge}
     * @param meaning the meter's description
     */
    public record Row(String meter, String kind, String meaning) {
    }

    private MetricsTable() {
    }

    /** The meters registered in {@code registry}, as rows. */
    public static List<Row> of(MeterRegistry registry) {
        List<Row> rows = new ArrayList<>();
        for (Meter meter : registry.getMeters()) {
            Meter.Id id = meter.getId();
            String tags = id.getTags().isEmpty() ? ""
                    : id.getTags().stream().map(t -> t.getKey() + "=" + t.getValue()).collect(Collectors.joining(",", "{", "}"));
            rows.add(new Row(id.getName() + tags, id.getType().name().toLowerCase(Locale.ROOT), id.getDescription()));
        }
        return rows;
    }

    /** The rows of the first table under the heading {@code ## Metrics} of a README, backticks removed. */
    public static List<Row> readme(Path readme) throws IOException {
        return cells(readme).stream().map(c -> new Row(c.get(0), c.get(2), c.get(3))).toList();
    }

    /** The Prometheus column of that table, backticks removed. */
    public static List<String> prometheusNames(Path readme) throws IOException {
        return cells(readme).stream().map(c -> c.get(1)).toList();
    }

    private static List<List<String>> cells(Path readme) throws IOException {
        List<String> lines = Files.readAllLines(readme);
        int heading = lines.indexOf("## Metrics");
        if (heading < 0) {
            throw new IllegalArgumentException(readme + " has no '## Metrics' heading");
        }
        List<List<String>> rows = new ArrayList<>();
        boolean inTable = false;
        for (String line : lines.subList(heading + 1, lines.size())) {
            if (line.startsWith("|")) {
                inTable = true;
                List<String> cells = Arrays.stream(line.substring(1, line.lastIndexOf('|')).split("\\|", -1))
                        .map(cell -> cell.strip().replace("`", "")).toList();
                if (cells.size() != 4) {
                    throw new IllegalArgumentException("not a row of | meter | Prometheus | kind | meaning |: " + line);
                }
                rows.add(cells);
            } else if (inTable) {
                break;
            }
        }
        return rows.subList(Math.min(2, rows.size()), rows.size()); // without the header and the |---| line
    }
}
