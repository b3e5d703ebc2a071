package dev.hydrant.trafficcontroller.drains;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One drain bound to one source id, as stored: the full URL (credentials included) and the PEM for mutual
 * TLS. {@link #toString()} shows neither.
 *
 * @param id              server-assigned
 * @param sourceId        the app guid (or any source id) whose envelopes go to the drain
 * @param url             the drain URL as given, credentials included
 * @param type            from the URL's drain-type
 * @param disableMetadata from the URL's disable-metadata
 * @param cert            client certificate (chain) PEM, or null
 * @param key             its private key PEM, or null
 * @param ca              CA PEM to verify the drain with, or null
 * @param createdAt       when it was bound
 */
public record Binding(UUID id, String sourceId, String url, DrainType type, boolean disableMetadata, String cert,
                      String key, String ca, Instant createdAt) {

    public Binding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The URL with its credentials hidden. */
    public String redactedUrl() {
        return DrainUrl.redact(url);
    }

    @Override
    public String toString() {
        return "Binding[id=" + id + ", sourceId=" + sourceId + ", url=" + redactedUrl() + ", type=" + type.wire()
                + ", disableMetadata=" + disableMetadata + ", clientCert=" + (cert != null) + ", ca=" + (ca != null)
                + ", createdAt=" + createdAt + "]";
    }
}
