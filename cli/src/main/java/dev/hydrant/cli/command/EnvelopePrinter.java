package dev.hydrant.cli.command;

import dev.hydrant.api.json.EnvelopeJson;
import java.io.PrintWriter;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.cloudfoundry.loggregator.v2.Envelope;

/** Prints a batch of envelopes, one line each (readable or proto3 JSON), then flushes once. */
final class EnvelopePrinter implements Consumer<List<Envelope>> {

    private final PrintWriter out;
    private final Function<Envelope, String> line;

    EnvelopePrinter(PrintWriter out, boolean json, Function<Envelope, String> readable) {
        this.out = out;
        this.line = json ? EnvelopeJson::toJson : readable;
    }

    @Override
    public void accept(List<Envelope> envelopes) {
        synchronized (out) {
            for (Envelope envelope : envelopes) {
                out.println(line.apply(envelope));
            }
            out.flush();
        }
    }
}
