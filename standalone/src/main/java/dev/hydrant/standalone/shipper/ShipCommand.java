package dev.hydrant.standalone.shipper;

import dev.hydrant.plumbing.tls.TlsFiles;
import dev.hydrant.standalone.DataDirectory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.convert.DurationStyle;

/**
 * {@code ship [--source-id ID] [--instance-id N] [--source-type T] [--metron HOST:PORT] [--metrics-interval D] -- COMMAND [ARG ...]}:
 * runs COMMAND and ships its stdout and stderr lines, and every D its container metrics, through Metron with a client certificate of the
 * data directory's development PKI; ends with COMMAND's exit code. The source id defaults to the
 * program's file name without its extension. Its own messages go to stderr.
 */
public final class ShipCommand {

    /** The name of the shipper's certificate in the development PKI. */
    public static final String CERTIFICATE_NAME = "log-shipper";

    private static final String USAGE = """
            usage: ship [--source-id ID] [--instance-id N] [--source-type T] [--metron HOST:PORT] [--metrics-interval D] -- COMMAND [ARG ...]
              --source-id ID      the app id its lines carry (default: the program's name)
              --instance-id N     the instance index (default 0)
              --source-type T     the v1 source type tag (default APP/PROC/WEB)
              --metron HOST:PORT  Metron's v2 ingress (default 127.0.0.1:3458)
              --metrics-interval D  how often the app's container metrics are sent (default 15s; 0 for none)""";

    private ShipCommand() {
    }

    /** Runs the command; returns the app's exit code, or 2 for bad arguments. */
    public static int run(List<String> args, DataDirectory home, PrintStream err) {
        String sourceId = null;
        String instanceId = "0";
        String sourceType = AppInstance.APP_SOURCE_TYPE;
        String metron = ShipperSettings.DEFAULT_METRON;
        String metricsInterval = null;
        List<String> command = new ArrayList<>();
        int i = 0;
        for (; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                command.addAll(args.subList(i + 1, args.size()));
                break;
            }
            boolean hasValue = i + 1 < args.size();
            switch (arg) {
                case "--source-id" -> sourceId = hasValue ? args.get(++i) : "";
                case "--instance-id" -> instanceId = hasValue ? args.get(++i) : "";
                case "--source-type" -> sourceType = hasValue ? args.get(++i) : "";
                case "--metron" -> metron = hasValue ? args.get(++i) : "";
                case "--metrics-interval" -> metricsInterval = hasValue ? args.get(++i) : "";
                case "--help", "-h" -> {
                    err.println(USAGE);
                    return 0;
                }
                default -> {
                    if (!arg.startsWith(DataDirectory.OPTION)) {
                        return usage(err, "unknown option " + arg + " (the command to run goes after --)");
                    }
                }
            }
        }
        if (command.isEmpty()) {
            return usage(err, "name the command to run after --");
        }
        if (sourceId == null) {
            String program = Path.of(command.get(0)).getFileName().toString();
            sourceId = program.contains(".") ? program.substring(0, program.lastIndexOf('.')) : program;
        }
        if (sourceId.isBlank() || instanceId.isBlank() || sourceType.isBlank() || metron.isBlank()) {
            return usage(err, "--source-id, --instance-id, --source-type and --metron need a value");
        }
        Duration interval = ShipperSettings.DEFAULT_CONTAINER_METRICS_INTERVAL;
        if (metricsInterval != null) {
            try {
                interval = DurationStyle.detectAndParse(metricsInterval);
            } catch (IllegalArgumentException e) {
                return usage(err, "--metrics-interval takes a duration such as 15s or 500ms, not '" + metricsInterval + "'");
            }
            if (interval.isNegative()) {
                return usage(err, "--metrics-interval must not be negative");
            }
        }
        TlsFiles tls = home.pki().filesFor(CERTIFICATE_NAME);
        ShipperSettings settings = ShipperSettings.defaults(new AppInstance(sourceId, instanceId, sourceType), tls,
                command).withMetron(metron).withContainerMetricsInterval(interval);
        return ship(settings, err);
    }

    private static int ship(ShipperSettings settings, PrintStream err) {
        LogShipper shipper = LogShipper.start(settings);
        err.printf("Shipping the stdout and stderr of '%s' (pid %d) to Metron at %s as %s/%s%n",
                String.join(" ", settings.command()), shipper.pid(), settings.metron(),
                settings.app().sourceId(), settings.app().instanceId());
        CountDownLatch finished = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            shipper.stop();
            try {
                finished.await(settings.flushTimeout().toMillis() + 2_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "shipper-stop"));
        try {
            int code = shipper.awaitExit();
            long failed = shipper.failedSamples();
            err.printf("'%s' ended with exit code %d: %d lines sent to Metron, %d lost%s%n",
                    settings.app().sourceId(), code, shipper.sent(), shipper.lost(),
                    failed == 0 ? "" : ", " + failed + " container metric readings failed");
            return code;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            finished.countDown();
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println(problem);
        err.println(USAGE);
        return 2;
    }
}
