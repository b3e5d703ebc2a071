package dev.hydrant.nozzle.client;

import dev.hydrant.nozzle.auth.TokenEndpointException;
import java.security.cert.CertificateException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * What a failed attempt means, decided in one place for every transport: an outage (the server is away or
 * overloaded: retry with backoff), a refused token (fetch a fresh one and retry at once; refused twice in a
 * row, it is permanent), a permanent problem only the operator can fix (its {@code problem} says what), or
 * a request the server will never accept.
 *
 * <p>Permanent: the token refused (401, the 404 that {@code /v2/read} and the app streams answer to a bad
 * token, UNAUTHENTICATED), access forbidden (403, PERMISSION_DENIED), the token endpoint refusing the client
 * credentials, a server certificate this client does not trust, a client certificate the server does not
 * trust, {@code https://} against a port without TLS and {@code http://} against a TLS port. Everything
 * else (refused or reset connections, 5xx, 429, timeouts) is an outage.
 */
record ConnectionFailure(Kind kind, String problem, Throwable cause) {

    enum Kind { OUTAGE, TOKEN_REFUSED, PERMANENT, INVALID_REQUEST }

    /**
     * Whom a stream talks to, for the words of a problem.
     *
     * @param name        e.g. "the Traffic Controller at https://tc:8081"
     * @param caSetting   the setting naming the CA that signs the server
     * @param certSetting the setting naming this client's certificate
     * @param tls         whether the address asks for TLS
     * @param address     the http:// address, to probe for TLS when it closes without an answer; null for none
     */
    record Target(String name, String caSetting, String certSetting, boolean tls, java.net.URI address) {
    }

    /** A plain HTTP attempt closed before any answer: a server going down, or a TLS port. */
    boolean closedBeforeAnswer() {
        for (Throwable e = cause; kind == Kind.OUTAGE && e != null; e = e.getCause() == e ? null : e.getCause()) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("prematurely closed BEFORE response")
                    || message.contains("prematurely closed BEFORE opening handshake")) {
                return true;
            }
        }
        return false;
    }

    /** What it means when the port turned out to speak TLS. */
    static ConnectionFailure plainHttpAgainstTls(Target target, Throwable cause) {
        return permanent(target.name() + " speaks TLS on that port and closed the plain HTTP request: use https://"
                + " in hydrant.nozzle.url (and hydrant.nozzle.ca-file for its CA)", cause);
    }

    /** The exception a stream that fails fast ends with. */
    HydrantClientException exception() {
        return HydrantClientException.permanent(problem, cause);
    }

    boolean permanent() {
        return kind == Kind.PERMANENT;
    }

    /**
     * @param refusedBefore whether the attempt before this one had its token refused too
     */
    static ConnectionFailure classify(Throwable error, Target target, boolean refusedBefore) {
        if (error instanceof HydrantClientException refusal && refusal.permanent()) {
            return permanent(refusal.getMessage(), refusal);
        }
        TokenEndpointException tokenEndpoint = find(error, TokenEndpointException.class);
        if (tokenEndpoint != null && tokenEndpoint.refused()) {
            return permanent("The token endpoint refused the client credentials (" + tokenEndpoint.getMessage()
                    + "): check hydrant.nozzle.client-id, client-secret, scope and token-url", error);
        }
        // gRPC reports a TLS failure as UNAVAILABLE with the handshake's exception as its cause
        String tls = tlsProblem(error, tokenEndpoint == null ? target.name() : "the token endpoint", target);
        if (tls != null) {
            return permanent(tls, error);
        }
        if (error instanceof HydrantClientException refusal) {
            return refusal(refusal, target, refusedBefore);
        }
        if (error instanceof IllegalArgumentException) {
            return new ConnectionFailure(Kind.INVALID_REQUEST, ConnectionLog.describe(error), error);
        }
        return new ConnectionFailure(Kind.OUTAGE, ConnectionLog.describe(error), error);
    }

    private static ConnectionFailure refusal(HydrantClientException refusal, Target target, boolean refusedBefore) {
        String answer = refusal.getMessage();
        if (refusal.authRefused()) {
            if (!refusedBefore) {
                return new ConnectionFailure(Kind.TOKEN_REFUSED, answer, refusal);
            }
            if (refusal.status() == 0) {
                return permanent(target.name() + " refused this client (" + answer + "): check "
                        + target.certSetting() + " and its key", refusal);
            }
            String why = refusal.status() == 404
                    ? "; the Traffic Controller answers 404 to a missing, invalid or insufficient token" : "";
            return permanent(target.name() + " refused the token (" + answer + why + "): check hydrant.nozzle.token,"
                    + " or client-id, client-secret and token-url, and the token's scopes (the firehose needs"
                    + " doppler.firehose or logs.admin; an app stream needs read access to that app)", refusal);
        }
        if (refusal.status() == 403 || "PERMISSION_DENIED".equals(refusal.error())) {
            return permanent(target.name() + " forbids this client to read (" + answer + "): check the token's"
                    + " scopes (doppler.firehose or logs.admin for the firehose) or the source ids", refusal);
        }
        return refusal.retryable() ? new ConnectionFailure(Kind.OUTAGE, answer, refusal)
                : new ConnectionFailure(Kind.INVALID_REQUEST, answer, refusal);
    }

    /** The TLS problem in the chain of {@code error}, in words, or null when it is not one. */
    private static String tlsProblem(Throwable error, String who, Target target) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            String name = e.getClass().getSimpleName();
            String message = String.valueOf(e.getMessage());
            if (name.equals("NotSslRecordException") || message.contains("Unsupported or unrecognized SSL message")) {
                return who + " does not speak TLS on that port (" + shorten(message) + "): use http:// in"
                        + " hydrant.nozzle.url, or the port that serves https";
            }
            if (e instanceof CertificateException) {
                if (message.contains("subject alternative") || message.contains("No name matching")) {
                    return "The certificate of " + who + " is not valid for the host name (" + shorten(message)
                            + "): use a host name the certificate names";
                }
                return "The certificate of " + who + " is not trusted (" + shorten(message) + "): set "
                        + target.caSetting() + " to the PEM file of the CA that signs it";
            }
            // the alerts of a server refusing this client's certificate (JDK: "bad_certificate", OpenSSL:
            // "TLSV1_ALERT_CERTIFICATE_REQUIRED")
            String alert = message.toLowerCase(Locale.ROOT);
            if (e instanceof SSLException && (alert.contains("bad_certificate") || alert.contains("unknown_ca")
                    || alert.contains("certificate_unknown") || alert.contains("certificate_required"))) {
                return who + " refused this client's certificate (" + shorten(message) + "): check "
                        + target.certSetting() + " and its key (signed by a CA the server trusts)";
            }
        }
        return null;
    }

    private static ConnectionFailure permanent(String problem, Throwable cause) {
        return new ConnectionFailure(Kind.PERMANENT, problem, cause);
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
        return null;
    }

    private static Throwable find(Throwable error, String simpleName) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e.getClass().getSimpleName().equals(simpleName)) {
                return e;
            }
        }
        return null;
    }

    private static String shorten(String message) {
        return message.length() > 160 ? message.substring(0, 160) + "..." : message;
    }
}
