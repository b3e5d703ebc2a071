package dev.hydrant.nozzle.auth;

/**
 * The token endpoint could not be used: it refused the client credentials (an answer other than 200, or no
 * {@code access_token} in it), or it could not be reached (then the cause says why).
 */
public final class TokenEndpointException extends RuntimeException {

    private final int status;
    private final boolean refused;

    TokenEndpointException(String message, int status, boolean refused, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.refused = refused;
    }

    /** The HTTP status the endpoint answered, or 0 when it did not answer. */
    public int status() {
        return status;
    }

    /**
     * Whether the endpoint answered and refused (a 4xx, or a 200 without a token): asking again with the same
     * settings will not help. Unreachable endpoints and 5xx or 429 answers are not refusals.
     */
    public boolean refused() {
        return refused;
    }
}
