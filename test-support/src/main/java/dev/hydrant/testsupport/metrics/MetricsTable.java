package dev.hydrant.testsupport.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A component's meters as the rows of the metrics table in its README
 * ({@code | meter | Prometheus | kind | meaning |}), to hold the README to the one place in the
 * code where the meters are declared and described. A tag is written {@code {key=value}} when the
 * meter has one value of it, {@code {key}} when the value varies ({@code egress{endpoint}}).
 */
public final class MetricsTable {

    /**
     * One meter: {@code dropped{direction=egress}}, counter, its description.
     *
     * @param meter   the Micrometer name, with its tags as {@code {key=value}} or {@code {key}}
     * @param kind    {@code counter} or {@code gauge}
     * @param meaning the meter's description
     */
    public record Row(String meter, String kind, String meaning) {
    }

    private MetricsTable() {
    }

    /**
     * The metrics table of {@code readme} lists exactly the meters of {@code registry}, each with its
     * kind, description and Prometheus name, and the root README's table has a row of
     * {@code component} naming each of them.
     */
    public static void assertReadmesFollow(PrometheusMeterRegistry registry, Path readme, Path rootReadme,
                                           String component) throws IOException {
        List<Row> table = readme(readme);
        assertThat(table).as("the metrics table of %s", readme).containsExactlyInAnyOrderElementsOf(
                of(registry).stream().map(row -> new Row(written(row.meter(), table.stream().map(Row::meter).toList()),
                        row.kind(), row.meaning())).distinct().toList());

        List<String> prometheus = prometheusNames(readme);
        List<String> samples = registry.scrape().lines().filter(line -> !line.startsWith("#"))
                .map(line -> written(line.substring(0, line.lastIndexOf(' ')), prometheus)).distinct().toList();
        assertThat(prometheus).as("the Prometheus column of %s", readme).containsExactlyInAnyOrderElementsOf(samples);

        List<String> componentRows = Files.readAllLines(rootReadme).stream()
                .filter(line -> line.startsWith("| ") && line.split("\\|")[1].contains(component)).toList();
        for (String name : registry.getMeters().stream().map(m -> m.getId().getName()).distinct().toList()) {
            assertThat(componentRows).as("a %s row of %s naming %s", component, rootReadme, name)
                    .anyMatch(row -> row.split("\\|")[2].contains("`" + name + "`")
                            || row.split("\\|")[2].contains("`" + name + "{"));
        }
    }

    /** The meters registered in {@code registry}, as rows with every tag's value. */
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

    /** {@code meter} as the table writes it: without its tags' values where the table has it so. */
    private static String written(String meter, Collection<String> table) {
        String keysOnly = meter.replaceAll("=(\"[^\"]*\"|[^,}]*)", "");
        return !table.contains(meter) && table.contains(keysOnly) ? keysOnly : meter;
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
