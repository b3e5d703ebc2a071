package dev.hydrant.cli.command;

import dev.hydrant.cli.CliEnvironment;
import dev.hydrant.cli.ExitCode;
import dev.hydrant.cli.config.Target;
import dev.hydrant.cli.drains.DrainsApi;
import java.util.function.Function;

/**
 * What the drain commands share: one call to {@code /v1/drains} with the target's credentials, and each
 * refusal as one line on stderr with its exit code: 401 {@link ExitCode#UNAUTHORIZED}, 404
 * {@link ExitCode#NOT_FOUND}, a binding refused (400, 409) {@link ExitCode#FAILED} with the API's own message,
 * an unreachable Traffic Controller {@link ExitCode#UNREACHABLE}.
 */
final class DrainCalls {

    private DrainCalls() {
    }

    /** Runs {@code call} against the target; a failure to reach it is told as {@link Failure} words it. */
    static int run(CliEnvironment environment, String notFound, Function<DrainsApi, Integer> call) {
        Target target = Target.resolve(environment);
        int code;
        try {
            code = call.apply(new DrainsApi(target));
        } catch (RuntimeException e) {
            Failure failure = Failure.of(e, target.url(), notFound);
            environment.err().println(failure.message());
            code = failure.exitCode();
        }
        environment.out().flush();
        return code;
    }

    /** Tells a refused request in one line and answers its exit code. */
    static int refused(CliEnvironment environment, DrainsApi.Answer answer, String what, String notFound) {
        Failure failure = switch (answer.status()) {
            case 401 -> new Failure(ExitCode.UNAUTHORIZED, Failure.UNAUTHORIZED);
            case 404 -> new Failure(ExitCode.NOT_FOUND, notFound);
            default -> new Failure(ExitCode.FAILED, what + " (" + (answer.error().isEmpty()
                    ? String.valueOf(answer.status()) : answer.error()) + ")"
                    + (answer.message().isEmpty() ? "" : ": " + answer.message()));
        };
        environment.err().println(failure.message().replaceAll("\\s+", " ").trim());
        return failure.exitCode();
    }
}
