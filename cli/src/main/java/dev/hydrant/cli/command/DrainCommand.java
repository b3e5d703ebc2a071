package dev.hydrant.cli.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hydrant drain create|delete}: bind a syslog or HTTPS drain to an app, or unbind it. */
@Command(name = "drain", mixinStandardHelpOptions = true,
        description = "Bind a drain (syslog://, syslog-tls://, https://, https-batch://) to an app, or unbind it.")
final class DrainCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
