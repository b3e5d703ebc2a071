package dev.hydrant.metron.scrape;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * One checked scrape target.
 *
 * @param url             the exposition's URL
 * @param sourceId        source id of its envelopes
 * @param instanceId      instance id of its envelopes
 * @param interval        time between two scrapes
 * @param ssl             the TLS context of an https target
 * @param bearerTokenFile where the bearer token is read from at every scrape (its content is never logged)
 */
public record ScrapeTarget(URI url, String sourceId, String instanceId, Duration interval, Optional<SSLContext> ssl,
                           Optional<Path> bearerTokenFile) {

    public ScrapeTarget {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(ssl, "ssl");
        Objects.requireNonNull(bearerTokenFile, "bearerTokenFile");
    }

    /** The URL as logs show it: without user information or query, which may hold credentials. */
    public String display() {
        return display(url);
    }

    static String display(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }
}
