package dev.hydrant.cli.command;

import dev.hydrant.cli.CliEnvironment;
import dev.hydrant.cli.ExitCode;
import dev.hydrant.cli.config.Target;
import dev.hydrant.cli.format.EnvelopeLine;
import dev.hydrant.cli.format.LogLine;
import dev.hydrant.nozzle.client.EnvelopeType;
import dev.hydrant.nozzle.client.HydrantClient;
import dev.hydrant.nozzle.client.ReadRequest;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hydrant firehose [--subscription-id ID] [--type logs,metrics] [--json]}: every envelope of every
 * source, as it arrives, one line each (logs as {@code cf logs} prefixed by the source id; counters,
 * gauges, timers and events compactly). Needs a token with scope {@code doppler.firehose} or
 * {@code logs.admin}.
 */
@Command(name = "firehose", mixinStandardHelpOptions = true,
        description = "Stream every source's envelopes (until Ctrl-C); needs scope doppler.firehose or logs.admin.")
final class FirehoseCommand implements Callable<Integer> {

    private final CliEnvironment environment;

    @Option(names = "--subscription-id", paramLabel = "ID",
            description = "Readers sharing it split the firehose (default: a new id for each run).")
    String subscriptionId;

    @Option(names = "--type", split = ",", paramLabel = "logs|metrics|events",
            description = "What to read: logs, metrics (counters, gauges, timers), events (SSE only); default all.")
    List<String> types;

    @Option(names = "--json", description = "Print one proto3-JSON v2 envelope per line.")
    boolean json;

    @Option(names = "--transport", defaultValue = "websocket", paramLabel = "websocket|sse",
            description = "How to stream (default ${DEFAULT-VALUE}).")
    Via via;

    FirehoseCommand(CliEnvironment environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() {
        Set<EnvelopeType> selected = EnumSet.noneOf(EnvelopeType.class);
        for (String type : types == null ? List.of("logs", "metrics", "events") : types) {
            switch (type.trim().toLowerCase(Locale.ROOT)) {
                case "logs", "log" -> selected.add(EnvelopeType.LOG);
                case "metrics", "metric" -> selected.addAll(List.of(EnvelopeType.COUNTER, EnvelopeType.GAUGE, EnvelopeType.TIMER));
                case "events", "event" -> selected.add(EnvelopeType.EVENT);
                default -> {
                    environment.err().println("unknown --type '" + type + "': use logs, metrics or events");
                    return ExitCode.USAGE;
                }
            }
        }
        String subscription = subscriptionId == null || subscriptionId.isBlank()
                ? "hydrant-cli-" + UUID.randomUUID().toString().substring(0, 8) : subscriptionId.trim();
        Target target = Target.resolve(environment);
        StreamSession session = new StreamSession(environment, target.url(),
                "the firehose was refused (404): the token needs scope doppler.firehose or logs.admin");
        EnvelopePrinter printer = new EnvelopePrinter(environment.out(), json,
                new EnvelopeLine(new LogLine(environment.zone()))::format);
        try (HydrantClient client = target.client(via.transport(), session, environment)) {
            return session.run(client.readBatches(ReadRequest.firehose(subscription, selected)), printer, () -> { });
        }
    }
}
