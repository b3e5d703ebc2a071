package dev.hydrant.cli.command;

import dev.hydrant.cli.ExitCode;
import dev.hydrant.nozzle.client.HydrantClientException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * What went wrong, as the one line a user reads on stderr and the exit code a script reads.
 *
 * @param exitCode one of {@link ExitCode}
 * @param message  one line, no stack trace
 */
public record Failure(int exitCode, String message) {

    /** What a 401 says, whatever the command. */
    public static final String UNAUTHORIZED = "not logged in or token rejected (401): run hydrant login";

    /** The failure behind {@code cause}, for a request to {@code target}; {@code notFound} words a 404. */
    public static Failure of(Throwable cause, String target, String notFound) {
        HydrantClientException refusal = find(cause, HydrantClientException.class);
        // a permanent problem that is not an HTTP answer (TLS, token endpoint) is told by its cause below
        if (refusal != null && !(refusal.permanent() && refusal.status() == 0)) {
            return switch (refusal.status()) {
                case 401 -> new Failure(ExitCode.UNAUTHORIZED, UNAUTHORIZED);
                case 404 -> new Failure(ExitCode.NOT_FOUND, notFound);
                case 0 -> new Failure(ExitCode.FAILED, "the Traffic Controller at " + target + " refused the stream");
                default -> new Failure(ExitCode.FAILED, "the Traffic Controller at " + target + " answered "
                        + refusal.status() + (refusal.error().isEmpty() ? "" : " (" + refusal.error() + ")"));
            };
        }
        String unreachable = "cannot reach the Traffic Controller at " + target + ": ";
        if (find(cause, ConnectException.class) != null) {
            String text = String.valueOf(find(cause, ConnectException.class).getMessage());
            return new Failure(ExitCode.UNREACHABLE, unreachable
                    + (text.toLowerCase(java.util.Locale.ROOT).contains("refused") ? "connection refused" : text));
        }
        if (find(cause, UnknownHostException.class) != null || find(cause, UnresolvedAddressException.class) != null) {
            return new Failure(ExitCode.UNREACHABLE, unreachable + "unknown host");
        }
        if (find(cause, NoRouteToHostException.class) != null) {
            return new Failure(ExitCode.UNREACHABLE, unreachable + "no route to host");
        }
        if (find(cause, TimeoutException.class) != null
                || cause.getClass().getSimpleName().contains("Timeout")) {
            return new Failure(ExitCode.UNREACHABLE, unreachable + "timed out");
        }
        if (find(cause, SSLException.class) != null || find(cause, CertificateException.class) != null) {
            return new Failure(ExitCode.UNREACHABLE, unreachable + "TLS handshake failed ("
                    + rootMessage(cause) + "); for a development CA use hydrant login --ca-file");
        }
        String text = rootMessage(cause);
        if (text.startsWith("token endpoint")) {
            return new Failure(ExitCode.UNAUTHORIZED, "cannot get a token: " + text + ": run hydrant login");
        }
        return new Failure(ExitCode.FAILED, "cannot read from the Traffic Controller at " + target + ": " + text);
    }

    private static <T extends Throwable> T find(Throwable cause, Class<T> type) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String text = message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
        return text.replaceAll("\\s+", " ").trim();
    }
}
