package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Samples the resident set ({@code VmRSS} in {@code /proc/PID/status}) and thread count of each
 * component at a fixed interval, with the run's counts at that moment, and appends each sample as a
 * Markdown table row to a file as it is taken (so that a run cut short keeps what it had).
 */
final class RssSampler {

    private final List<ComponentProcess> components;
    private final Map<String, LongSupplier> counts;
    private final Path table;
    private final Map<String, List<Long>> rssMb = new LinkedHashMap<>();
    private int taken;

    /**
     * @param counts named counts shown in each row (envelopes sent, received by each reader ...)
     * @param table  the file the rows are appended to
     */
    RssSampler(List<ComponentProcess> components, Map<String, LongSupplier> counts, Path table) {
        this.components = List.copyOf(components);
        this.counts = new LinkedHashMap<>(counts);
        this.table = table;
        for (ComponentProcess component : components) {
            rssMb.put(component.name(), new ArrayList<>());
        }
        StringBuilder head = new StringBuilder("| sample | time (UTC) |");
        StringBuilder rule = new StringBuilder("|---|---|");
        for (ComponentProcess component : components) {
            head.append(' ').append(component.name()).append(" RSS MiB | threads |");
            rule.append("---|---|");
        }
        for (String name : counts.keySet()) {
            head.append(' ').append(name).append(" |");
            rule.append("---|");
        }
        append(head + "\n" + rule + "\n");
    }

    /** Takes one sample: one row, and each component's RSS kept for {@link #flatness}. */
    synchronized void sample() {
        taken++;
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %d | %s |", taken,
                Instant.now().toString().substring(11, 19)));
        for (ComponentProcess component : components) {
            ProcessFigures figures = ProcessFigures.of(component.pid());
            if (figures.rssMb() >= 0) {
                rssMb.get(component.name()).add(figures.rssMb());
            }
            row.append(' ').append(figures.rssMb()).append(" | ").append(figures.threads()).append(" |");
        }
        for (LongSupplier count : counts.values()) {
            row.append(' ').append(String.format(Locale.ROOT, "%,d", count.getAsLong())).append(" |");
        }
        append(row + "\n");
    }

    /** The memory criterion of each component, by name. */
    synchronized Map<String, RssFlatness> flatness() {
        Map<String, RssFlatness> verdicts = new LinkedHashMap<>();
        rssMb.forEach((name, samples) -> verdicts.put(name, RssFlatness.of(samples)));
        return verdicts;
    }

    /** The RSS samples of each component, by name. */
    synchronized Map<String, List<Long>> samples() {
        Map<String, List<Long>> copy = new LinkedHashMap<>();
        rssMb.forEach((name, samples) -> copy.put(name, List.copyOf(samples)));
        return copy;
    }

    private void append(String text) {
        try {
            Files.writeString(table, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + table, e);
        }
    }
}
