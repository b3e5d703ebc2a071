package dev.hydrant.doppler.routing;

/** A subscription whose selectors cannot be served, for example a selector without a type. */
public final class InvalidSelectorException extends IllegalArgumentException {

    public InvalidSelectorException(String message) {
        super(message);
    }
}
