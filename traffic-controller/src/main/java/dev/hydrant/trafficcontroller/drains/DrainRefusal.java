package dev.hydrant.trafficcontroller.drains;

import org.springframework.http.HttpStatus;

/**
 * A binding refused, with the status and the {@code error} code of the drains API; the message says what is
 * wrong and never holds a credential of the drain URL.
 */
public final class DrainRefusal extends RuntimeException {

    private final HttpStatus status;
    private final String error;

    public DrainRefusal(HttpStatus status, String error, String message) {
        super(message, null, false, false);
        this.status = status;
        this.error = error;
    }

    public static DrainRefusal invalidUrl(String message) {
        return new DrainRefusal(HttpStatus.BAD_REQUEST, "invalid_url", message);
    }

    public static DrainRefusal unsupportedScheme(String message) {
        return new DrainRefusal(HttpStatus.BAD_REQUEST, "unsupported_scheme", message);
    }

    public static DrainRefusal invalidParameter(String message) {
        return new DrainRefusal(HttpStatus.BAD_REQUEST, "invalid_parameter", message);
    }

    public static DrainRefusal blocked(String message) {
        return new DrainRefusal(HttpStatus.BAD_REQUEST, "blocked_address", message);
    }

    public static DrainRefusal invalidCertificate(String message) {
        return new DrainRefusal(HttpStatus.BAD_REQUEST, "invalid_certificate", message);
    }

    public static DrainRefusal invalidRequest(String message) {
        return new DrainRefusal(HttpStatus.BAD_REQUEST, "invalid_request", message);
    }

    public static DrainRefusal limit(String message) {
        return new DrainRefusal(HttpStatus.CONFLICT, "drain_limit", message);
    }

    public static DrainRefusal duplicate(String message) {
        return new DrainRefusal(HttpStatus.CONFLICT, "duplicate", message);
    }

    public static DrainRefusal notFound() {
        return new DrainRefusal(HttpStatus.NOT_FOUND, "not_found", "resource not found");
    }

    public HttpStatus status() {
        return status;
    }

    public String error() {
        return error;
    }
}
