package dev.hydrant.trafficcontroller.auth;

import dev.hydrant.plumbing.config.InvalidSettingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The web origins whose pages may use a token from the authorization cookie ({@code auth.allowed-origins}),
 * besides the Traffic Controller's own host. An origin is {@code scheme://host[:port]}, http or https,
 * compared without case and with the scheme's default port left out.
 */
public final class AllowedOrigins {

    private final Set<String> origins;

    private AllowedOrigins(Set<String> origins) {
        this.origins = origins;
    }

    /** @param setting the setting's name, for the message when an entry is not an origin */
    public static AllowedOrigins of(List<String> origins, String setting) {
        for (int i = 0; i < origins.size(); i++) {
            if (normalise(origins.get(i)) == null) {
                throw new InvalidSettingException(setting + "[" + i + "]", "'" + origins.get(i)
                        + "' is not a web origin: write scheme://host[:port] (http or https, no path)");
            }
        }
        return new AllowedOrigins(origins.stream().map(AllowedOrigins::normalise).collect(Collectors.toUnmodifiableSet()));
    }

    /**
     * Whether a page of {@code origin} may use the cookie here: an origin of the list, or one on the host
     * the request was sent to ({@code host}, the Host header; scheme and port aside, as a cookie is shared
     * by every port and scheme of its host). A missing, opaque ({@code null}) or malformed origin is never allowed.
     */
    public boolean allows(String origin, String host) {
        String normalised = origin == null ? null : normalise(origin);
        if (normalised == null) {
            return false;
        }
        if (origins.contains(normalised)) {
            return true;
        }
        String requestHost = hostOf(host);
        return requestHost != null && requestHost.equals(hostOf(URI.create(normalised).getRawAuthority()));
    }

    /** scheme://host[:port], lower case, without the scheme's default port; null when not an http(s) origin. */
    static String normalise(String origin) {
        try {
            URI uri = new URI(origin.trim());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                    && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare) {
                return null;
            }
            int port = uri.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The host of a Host header or an authority ({@code host[:port]}, IPv6 in brackets), lower case; null when blank. */
    private static String hostOf(String authority) {
        if (authority == null || authority.isBlank()) {
            return null;
        }
        String value = authority.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            return end < 0 ? null : value.substring(0, end + 1);
        }
        int colon = value.indexOf(':');
        return colon < 0 ? value : value.substring(0, colon);
    }
}
