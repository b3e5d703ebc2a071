package dev.hydrant.trafficcontroller.drains;

import dev.hydrant.plumbing.secrets.UrlCredentials;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * A drain URL as docs/wire.md section 7 allows it: {@code syslog://}, {@code syslog-tls://} (both need a port),
 * {@code https://} or {@code https-batch://}, a host, and the query parameters {@code drain-type=logs|metrics|all}
 * and {@code disable-metadata=true|false} (others are ignored). Credentials in it are kept in {@link #url()}
 * and shown only as {@link #redacted()}.
 *
 * @param url             the URL as given, credentials included
 * @param scheme          the scheme, lower case
 * @param host            the host name or address (an IPv6 address without brackets)
 * @param port            the port; 443 for an https URL without one
 * @param type            what the drain receives
 * @param disableMetadata whether the tags element is left out of each message
 */
public record DrainUrl(String url, String scheme, String host, int port, DrainType type, boolean disableMetadata) {

    /** The schemes a drain may use. */
    public static final Set<String> SCHEMES = Set.of("syslog", "syslog-tls", "https", "https-batch");

    /** Parses and checks {@code text}; throws a {@link DrainRefusal} that does not echo credentials. */
    public static DrainUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw DrainRefusal.invalidRequest("url is required");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw DrainRefusal.invalidUrl("the drain URL is not a valid URL: " + e.getReason()
                    + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
        if (uri.getScheme() == null) {
            throw DrainRefusal.invalidUrl("the drain URL has no scheme: use syslog://, syslog-tls://, https:// "
                    + "or https-batch://");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            // an opaque "user:password@host" parses as the scheme "user": name the scheme only in a hierarchical URL
            throw DrainRefusal.unsupportedScheme((uri.isOpaque() ? "the drain URL's scheme" : "the scheme '" + scheme + "'")
                    + " is not supported: use syslog, syslog-tls, https or https-batch");
        }
        if (uri.isOpaque() || uri.getRawAuthority() == null) {
            throw DrainRefusal.invalidUrl("the drain URL has no host: write " + scheme + "://host:port");
        }
        try {
            uri = uri.parseServerAuthority();
        } catch (URISyntaxException e) {
            throw DrainRefusal.invalidUrl("the drain URL's host or port is not valid: " + e.getReason());
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw DrainRefusal.invalidUrl("the drain URL has no host: write " + scheme + "://host:port");
        }
        int port = uri.getPort();
        if (port == -1 && scheme.startsWith("https")) {
            port = 443;
        } else if (port == -1) {
            throw DrainRefusal.invalidUrl("a " + scheme + ":// drain needs a port: write " + scheme + "://host:port");
        }
        if (port < 1 || port > 65535) {
            throw DrainRefusal.invalidUrl("the drain URL's port " + port + " is outside 1..65535");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        DrainType type = DrainType.LOGS;
        boolean disableMetadata = false;
        String query = uri.getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            if (name.equals("drain-type")) {
                type = DrainType.fromWire(value);
                if (type == null) {
                    throw DrainRefusal.invalidParameter("drain-type must be logs, metrics or all, not '" + value + "'");
                }
            } else if (name.equals("disable-metadata")) {
                if (!value.equals("true") && !value.equals("false")) {
                    throw DrainRefusal.invalidParameter("disable-metadata must be true or false, not '" + value + "'");
                }
                disableMetadata = Boolean.parseBoolean(value);
            }
        }
        return new DrainUrl(text, scheme, host, port, type, disableMetadata);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw DrainRefusal.invalidParameter("a query parameter of the drain URL is not validly encoded");
        }
    }

    /** The URL with its credentials hidden. */
    public String redacted() {
        return redact(url);
    }

    /**
     * {@code scheme://user:****@host...} for a URL with a user and password, {@code scheme://****@host...} for
     * one with a user (or token) only; any other text unchanged. Works on text that is not a valid URL too.
     */
    public static String redact(String url) {
        return UrlCredentials.redact(url);
    }

    /** Never shows the credentials. */
    @Override
    public String toString() {
        return redacted();
    }
}
