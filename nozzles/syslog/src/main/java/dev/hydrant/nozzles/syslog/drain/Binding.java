package dev.hydrant.nozzles.syslog.drain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * One drain bound to one source id, as the bindings API gives it to the nozzle (with secrets).
 *
 * @param id              the binding's id: names the drain in metrics and logs (the URL may hold credentials)
 * @param sourceId        the app (source id) whose envelopes go to the drain
 * @param url             the full drain URL, credentials included
 * @param drainType       which envelopes go to it
 * @param disableMetadata no tags element in the messages
 * @param cert            PEM client certificate for mutual TLS, or null
 * @param key             its PKCS#8 PEM key, or null
 * @param ca              PEM CA the drain's server certificate must chain to, or null for the JDK's default trust
 */
public record Binding(String id, String sourceId, String url, DrainType drainType, boolean disableMetadata,
                      String cert, String key, String ca) {

    public Binding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(drainType, "drainType");
    }

    /** The URL without user information, safe for logs and for the app's own log. */
    public String redactedUrl() {
        try {
            URI uri = new URI(url);
            if (uri.getRawUserInfo() == null) {
                return url;
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), uri.getQuery(),
                    uri.getFragment()).toString();
        } catch (URISyntaxException e) {
            return "(unparsable drain url)";
        }
    }

    /** What it prints: never the URL's credentials nor the key. */
    @Override
    public String toString() {
        return "Binding[" + id + " " + sourceId + " " + redactedUrl() + "]";
    }
}
