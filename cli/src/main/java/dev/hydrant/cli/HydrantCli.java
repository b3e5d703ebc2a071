package dev.hydrant.cli;

import dev.hydrant.cli.command.Commands;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code hydrant} command: {@code login}, {@code logout}, {@code target}, {@code logs},
 * {@code firehose}, {@code drain create|delete} and {@code drains}. A plain JVM program (no Spring) so that it starts quickly. Failures end with one line
 * on stderr and an {@link ExitCode}.
 */
@Command(name = "hydrant", mixinStandardHelpOptions = true, version = "hydrant 0.1.0",
        description = "Read logs and metrics from a Hydrant (Cloud Foundry Loggregator) Traffic Controller.",
        footer = {"", "Environment: HYDRANT_TARGET and HYDRANT_TOKEN override the stored target and token;",
                "HYDRANT_HOME (default ~/.hydrant) holds config.json."})
public final class HydrantCli implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        CliEnvironment environment = CliEnvironment.system();
        CountDownLatch finished = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            environment.interrupt();
            try {
                finished.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "hydrant-interrupt"));
        int code = execute(environment, args);
        environment.out().flush();
        environment.err().flush();
        finished.countDown();
        System.exit(code);
    }

    /** Runs one command line in {@code environment} and returns its exit code; never calls System.exit. */
    public static int execute(CliEnvironment environment, String... args) {
        CommandLine commandLine = new CommandLine(new HydrantCli());
        for (Object command : Commands.all(environment)) {
            commandLine.addSubcommand(command);
        }
        commandLine.setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(environment.out())
                .setErr(environment.err())
                .setExecutionExceptionHandler((e, line, parsed) -> {
                    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                    line.getErr().println(message.replaceAll("\\s+", " ").trim());
                    return ExitCode.FAILED;
                });
        int code = commandLine.execute(args);
        environment.out().flush();
        environment.err().flush();
        return code;
    }
}
