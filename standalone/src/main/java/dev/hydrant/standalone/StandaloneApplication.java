package dev.hydrant.standalone;

import dev.hydrant.plumbing.lifecycle.OwnJvm;
import dev.hydrant.standalone.shipper.ShipCommand;
import dev.hydrant.standalone.stack.ConnectionBanner;
import dev.hydrant.standalone.stack.StackSettings;
import dev.hydrant.standalone.stack.StandaloneStack;
import dev.hydrant.standalone.stack.TrainingRun;
import dev.hydrant.standalone.token.TokenCommand;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

/**
 * All of Hydrant in one process, for one machine and for demos.
 *
 * <pre>
 * run   [--setting=value ...]   Doppler, Traffic Controller and Metron until Ctrl-C (the default)
 * token [--admin | --source-id ID ...] [--ttl 24h]
 *                               a development token signed by the data directory's key
 * ship  [--source-id ID] [--instance-id N] [--metron HOST:PORT] [--metrics-interval D] -- COMMAND ...
 *                               runs COMMAND and sends its stdout and stderr lines through Metron
 * train                         runs the stack briefly, on ports of its own, with envelopes through it:
 *                               for a JVM that records a class-data or ahead-of-time cache ({@link TrainingRun})
 * </pre>
 *
 * Every sub-command takes {@code --hydrant.home=DIR} (else {@code $HYDRANT_HOME}, else {@code ./.hydrant}).
 */
public final class StandaloneApplication {

    /** How the banner tells the user to get a token; {@code ./hydrant} sets it to its own command. */
    static final String TOKEN_COMMAND_PROPERTY = "hydrant.standalone.token-command";

    private static final String USAGE = """
            usage: java -jar hydrant-standalone.jar [run] [--setting=value ...]
                   java -jar hydrant-standalone.jar token [--admin | --source-id ID ...] [--ttl 24h]
                   java -jar hydrant-standalone.jar ship [--source-id ID] [--instance-id N] -- COMMAND [ARG ...]
                   java -jar hydrant-standalone.jar train   (a short run for -XX:AOTCacheOutput; see ./hydrant train)
            Every command takes --hydrant.home=DIR (default $HYDRANT_HOME, else ./.hydrant).
            run: settings go to every component; --doppler.X=V, --traffic-controller.X=V, --metron.X=V to one only.""";

    private StandaloneApplication() {
    }

    public static void main(String[] args) {
        List<String> arguments = Arrays.asList(args);
        String command = arguments.isEmpty() || arguments.get(0).startsWith("--") ? "run" : arguments.get(0);
        List<String> rest = arguments.isEmpty() || arguments.get(0).startsWith("--") ? arguments
                : arguments.subList(1, arguments.size());
        DataDirectory home = DataDirectory.of(rest, System.getenv());
        if (!command.equals("run")) {
            // No Spring application configures logging here: keep the libraries' chatter off the terminal.
            LoggingSystem.get(StandaloneApplication.class.getClassLoader())
                    .setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.WARN);
        }
        int code = switch (command) {
            case "run" -> run(rest);
            case "token" -> TokenCommand.run(rest, home, System.out, System.err);
            case "ship" -> ShipCommand.run(rest, home, System.err);
            case "train" -> TrainingRun.run(System.out);
            case "help", "-h" -> {
                System.out.println(USAGE);
                yield 0;
            }
            default -> {
                System.err.println("unknown command '" + command + "'");
                System.err.println(USAGE);
                yield 2;
            }
        };
        if (code != 0 || !command.equals("run")) {
            System.exit(code);
        }
    }

    private static int run(List<String> args) {
        if (args.contains("--help") || args.contains("-h")) {
            System.out.println(USAGE);
            return 0;
        }
        StackSettings settings;
        try {
            settings = StackSettings.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        StandaloneStack stack;
        try {
            stack = StandaloneStack.start(settings);
        } catch (RuntimeException e) {
            // Spring Boot has already reported why (an invalid setting is named by its failure analyzer).
            System.err.println("Hydrant did not start: " + rootMessage(e));
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM is an asked-for stop: the hook below closes the stack, and the exit status is 0
        OwnJvm.exitZeroOnSigterm();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Stopping Metron, the Traffic Controller and the Doppler...");
            try {
                stack.close();
            } finally {
                stopped.countDown();
            }
        }, "hydrant-standalone-shutdown"));
        String tokenCommand = System.getProperty(TOKEN_COMMAND_PROPERTY, "java -jar hydrant-standalone.jar token");
        ConnectionBanner.print(stack, tokenCommand, System.out);
        awaitUninterruptibly(stopped);
        return 0;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        while (true) {
            try {
                latch.await();
                return;
            } catch (InterruptedException e) {
                // only the shutdown hook ends the stack
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
