package dev.hydrant.metron.scrape;

import dev.hydrant.plumbing.config.InvalidSettingException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The Prometheus endpoints the agent scrapes, {@code hydrant.metron.scrape.*}. Checked by
 * {@link #targets()}: a bad value stops start-up naming its setting.
 *
 * @param targets     the endpoints; none by default
 * @param timeout     how long one scrape may take, connecting included
 * @param maxBodySize the largest body read; a larger one is refused and the scrape counts as failed
 * @param threads     the threads that run the HTTP exchanges and parse the bodies, for all targets
 */
@ConfigurationProperties(ScrapeProperties.PREFIX)
public record ScrapeProperties(@DefaultValue List<Target> targets,
                               @DefaultValue("10s") Duration timeout,
                               @DefaultValue("10MB") DataSize maxBodySize,
                               @DefaultValue("2") int threads) {

    /** Prefix of these settings. */
    public static final String PREFIX = "hydrant.metron.scrape";

    /** Loggregator's prom scraper's interval. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);

    /**
     * One endpoint.
     *
     * @param url             {@code http://} or {@code https://} URL of the exposition, for example {@code http://127.0.0.1:9100/metrics}
     * @param sourceId        the source id of its envelopes (required)
     * @param instanceId      their instance id; empty by default
     * @param interval        how often it is scraped; 15s by default
     * @param tls             for an https URL: the CA to trust (else the JVM's), a client certificate, the server name
     * @param bearerTokenFile a file whose content is sent as {@code Authorization: Bearer ...}; read at every scrape
     */
    public record Target(URI url, String sourceId, @DefaultValue("") String instanceId, Duration interval,
                         @DefaultValue Tls tls, Path bearerTokenFile) {
    }

    /**
     * TLS towards one https target.
     *
     * @param caFile     PEM CA certificate(s) the target's certificate must chain to; the JVM's trust store when unset
     * @param certFile   PEM client certificate presented to the target, with {@code key-file}
     * @param keyFile    PEM PKCS#8 key of that certificate
     * @param serverName the name the target's certificate must carry; the URL's host when unset
     */
    public record Tls(Path caFile, Path certFile, Path keyFile, String serverName) {

        boolean isEmpty() {
            return caFile == null && certFile == null && keyFile == null && (serverName == null || serverName.isBlank());
        }
    }

    /** The targets, checked: a bad one stops start-up naming its setting. */
    public List<ScrapeTarget> checkedTargets() {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new InvalidSettingException(PREFIX + ".timeout", "must be positive, was " + timeout);
        }
        if (maxBodySize == null || maxBodySize.toBytes() < 1 || maxBodySize.toBytes() > Integer.MAX_VALUE - 8) {
            throw new InvalidSettingException(PREFIX + ".max-body-size", "must be between 1B and 2GB, was " + maxBodySize);
        }
        if (threads < 1 || threads > 64) {
            throw new InvalidSettingException(PREFIX + ".threads", "must be between 1 and 64, was " + threads);
        }
        List<ScrapeTarget> checked = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            checked.add(check(targets.get(i), PREFIX + ".targets[" + i + "]"));
        }
        return checked;
    }

    private static ScrapeTarget check(Target target, String setting) {
        URI url = target.url();
        if (url == null) {
            throw new InvalidSettingException(setting + ".url", "is not set");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new InvalidSettingException(setting + ".url", "must be an http:// or https:// URL with a host, was "
                    + ScrapeTarget.display(url));
        }
        if (target.sourceId() == null || target.sourceId().isBlank()) {
            throw new InvalidSettingException(setting + ".source-id", "is not set");
        }
        Duration interval = target.interval() == null ? DEFAULT_INTERVAL : target.interval();
        if (interval.toMillis() < 1) {
            throw new InvalidSettingException(setting + ".interval", "must be at least 1ms, was " + interval);
        }
        Tls tls = target.tls() == null ? new Tls(null, null, null, null) : target.tls();
        Optional<SSLContext> ssl = Optional.empty();
        if (scheme.equals("https")) {
            ssl = Optional.of(ScrapeTls.context(tls, setting + ".tls"));
        } else if (!tls.isEmpty()) {
            throw new InvalidSettingException(setting + ".tls", "is set but the URL is not https://");
        }
        Path token = target.bearerTokenFile();
        if (token != null && !Files.isReadable(token)) {
            throw new InvalidSettingException(setting + ".bearer-token-file", "file " + token + " is not readable");
        }
        return new ScrapeTarget(url, target.sourceId(), target.instanceId() == null ? "" : target.instanceId(),
                interval, ssl, Optional.ofNullable(token));
    }
}
