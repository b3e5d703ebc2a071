package dev.hydrant.nozzles.syslog.drain;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the writer of a binding by its URL's scheme: {@code syslog}, {@code syslog-tls}, {@code https},
 * {@code https-batch}. A binding that cannot work (a scheme or TLS material the API should have refused)
 * still gets a writer, which fails every connect: its messages are counted as lost, not silently ignored.
 */
public final class DrainFactory {

    private static final Logger log = LoggerFactory.getLogger(DrainFactory.class);
    private static final int DEFAULT_SYSLOG_TLS_PORT = 6514;
    private static final int DEFAULT_SYSLOG_PORT = 514;

    private final DrainSettings settings;

    public DrainFactory(DrainSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public DrainWriter start(Binding binding, DrainCounters counters) {
        DrainConnector connector;
        try {
            connector = connector(binding);
        } catch (IllegalArgumentException | URISyntaxException | GeneralSecurityException e) {
            // a URISyntaxException's message holds the whole URL, credentials too: only its reason is told
            String reason = e instanceof URISyntaxException syntax ? "malformed URL: " + syntax.getReason() : e.getMessage();
            log.warn("Drain {} of {} ({}) cannot be used: {}", binding.id(), binding.sourceId(), binding.redactedUrl(),
                    reason);
            connector = new DrainConnector() {
                @Override
                public DrainConnection connect() throws IOException {
                    throw new IOException("unusable binding: " + reason);
                }

                @Override
                public long batchWaitMillis() {
                    return 100;
                }
            };
        }
        return new DrainWriter(binding, connector, settings, counters).start();
    }

    private DrainConnector connector(Binding binding) throws URISyntaxException, GeneralSecurityException {
        URI uri = new URI(binding.url());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the drain URL has no host");
        }
        return switch (scheme) {
            case "syslog" -> new SyslogTcpConnector(uri.getHost(), port(uri, DEFAULT_SYSLOG_PORT), null,
                    settings.addresses(), settings.connectTimeout());
            case "syslog-tls" -> new SyslogTcpConnector(uri.getHost(), port(uri, DEFAULT_SYSLOG_TLS_PORT),
                    DrainTls.context(binding), settings.addresses(), settings.connectTimeout());
            case "https", "https-batch" -> new HttpsConnector(
                    new URI("https", uri.getRawUserInfo() == null ? null : uri.getUserInfo(), uri.getHost(), uri.getPort(),
                            uri.getPath(), uri.getQuery(), null),
                    scheme.equals("https-batch"), DrainTls.context(binding), settings.addresses(), settings.connectTimeout());
            default -> throw new IllegalArgumentException("unsupported scheme '" + scheme + "'");
        };
    }

    private static int port(URI uri, int fallback) {
        return uri.getPort() < 0 ? fallback : uri.getPort();
    }
}
