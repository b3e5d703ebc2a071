package dev.hydrant.trafficcontroller.auth;

/** Why a request was refused; the reason is also the tag of {@code rejected_requests{reason}}. */
public enum AuthFailure {
    /** No token in the Authorization header nor in the authorization cookie. */
    NO_TOKEN("no_token", "Authorization not provided"),
    /** Malformed, wrongly signed, expired, wrong issuer or audience. */
    INVALID_TOKEN("invalid_token", "Invalid authorization"),
    /** A valid token without doppler.firehose or logs.admin where admin is needed. */
    MISSING_SCOPE("missing_scope", "Token lacks scope doppler.firehose or logs.admin"),
    /** A valid token that may not read the source id asked for. */
    NOT_PERMITTED("not_permitted", "Not permitted to read this source");

    private final String reason;
    private final String message;

    AuthFailure(String reason, String message) {
        this.reason = reason;
        this.message = message;
    }

    public String reason() {
        return reason;
    }

    public String message() {
        return message;
    }
}
