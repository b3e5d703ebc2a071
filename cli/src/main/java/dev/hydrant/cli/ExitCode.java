package dev.hydrant.cli;

/** The exit codes of the hydrant command; scripts may rely on them. */
public final class ExitCode {

    /** Done, or a stream stopped by the user. */
    public static final int OK = 0;
    /** Any other failure: a bad request, an unexpected answer, a config file that cannot be written. */
    public static final int FAILED = 1;
    /** The command line is wrong (picocli's usage error code). */
    public static final int USAGE = 2;
    /** The Traffic Controller cannot be reached (refused, unknown host, timeout, TLS failure). */
    public static final int UNREACHABLE = 3;
    /** No token, or the token (or the token endpoint) was refused: 401. */
    public static final int UNAUTHORIZED = 4;
    /** No such app, or the token may not read it: 404. */
    public static final int NOT_FOUND = 5;

    private ExitCode() {
    }
}
