package dev.hydrant.metron.files;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * The meters of the file tailer, declared and described here; the metrics table of
 * {@code metron-agent/README.md} lists them beside {@code config/MetronMeters} (a test holds it to that).
 *
 * <table>
 * <caption>file tailer meters</caption>
 * <tr><td>{@code files.lines}</td><td>counter</td><td>log envelopes made from the lines of tailed files and handed to the buffer</td></tr>
 * <tr><td>{@code files.read}</td><td>counter</td><td>bytes read from tailed files</td></tr>
 * <tr><td>{@code files.watched}</td><td>gauge</td><td>files tailed now</td></tr>
 * <tr><td>{@code files.rotations{kind=rename}}</td><td>counter</td><td>paths that a new file replaced (the old one read to its end)</td></tr>
 * <tr><td>{@code files.rotations{kind=truncate}}</td><td>counter</td><td>files that shrank (copy-truncate), read again from the start</td></tr>
 * <tr><td>{@code files.lines.joined}</td><td>counter</td><td>partial lines (CRI P, Docker's split lines) joined into the line that follows</td></tr>
 * <tr><td>{@code files.lines.split}</td><td>counter</td><td>extra envelopes made because a line was over 60 KiB</td></tr>
 * <tr><td>{@code files.lines.malformed}</td><td>counter</td><td>lines that did not parse in their format, forwarded as plain lines</td></tr>
 * <tr><td>{@code files.skipped}</td><td>counter</td><td>files left untailed: beyond max-files, unreadable, or not in the Kubernetes layout</td></tr>
 * <tr><td>{@code files.checkpoint.writes}</td><td>counter</td><td>position checkpoints written</td></tr>
 * <tr><td>{@code files.checkpoint.failures}</td><td>counter</td><td>position checkpoints that could not be written</td></tr>
 * </table>
 */
public record FilesMeters(Counter lines, Counter bytes, Counter renamed, Counter truncated, Counter joined,
                          Counter split, Counter malformed, Counter skipped, Counter checkpointWrites,
                          Counter checkpointFailures) {

    /** Registers the counters. */
    public static FilesMeters register(MeterRegistry registry) {
        return new FilesMeters(
                counter(registry, "files.lines", "Log envelopes made from the lines of tailed files and handed to the buffer"),
                Counter.builder("files.read").baseUnit("bytes").description("Bytes read from tailed files").register(registry),
                Counter.builder("files.rotations").tag("kind", "rename")
                        .description("Paths that a new file replaced (the old one read to its end)").register(registry),
                Counter.builder("files.rotations").tag("kind", "truncate")
                        .description("Files that shrank (copy-truncate), read again from the start").register(registry),
                counter(registry, "files.lines.joined",
                        "Partial lines (CRI P, Docker's split lines) joined into the line that follows"),
                counter(registry, "files.lines.split", "Extra envelopes made because a line was over 60 KiB"),
                counter(registry, "files.lines.malformed", "Lines that did not parse in their format, forwarded as plain lines"),
                counter(registry, "files.skipped",
                        "Files left untailed: beyond max-files, unreadable, or not in the Kubernetes layout"),
                counter(registry, "files.checkpoint.writes", "Position checkpoints written"),
                counter(registry, "files.checkpoint.failures", "Position checkpoints that could not be written"));
    }

    /** Registers the gauge of the files tailed now. */
    public static void registerGauge(MeterRegistry registry, Supplier<Number> watched) {
        Gauge.builder("files.watched", watched).description("Files tailed now").register(registry);
    }

    private static Counter counter(MeterRegistry registry, String name, String description) {
        return Counter.builder(name).description(description).register(registry);
    }
}
