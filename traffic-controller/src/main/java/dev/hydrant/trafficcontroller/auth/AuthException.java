package dev.hydrant.trafficcontroller.auth;

/** A refused request, carried through a reactive chain to the handler that answers it. */
public final class AuthException extends RuntimeException {

    private final AuthFailure failure;

    public AuthException(AuthFailure failure) {
        super(failure.message(), null, false, false);
        this.failure = failure;
    }

    public AuthFailure failure() {
        return failure;
    }
}
