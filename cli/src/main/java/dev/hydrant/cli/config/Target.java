package dev.hydrant.cli.config;

import dev.hydrant.cli.CliEnvironment;
import dev.hydrant.nozzle.auth.ClientCredentialsTokenProvider;
import dev.hydrant.nozzle.auth.TokenProvider;
import dev.hydrant.nozzle.client.ConnectionListener;
import dev.hydrant.nozzle.client.HydrantClient;
import dev.hydrant.nozzle.client.Transport;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import javax.net.ssl.SSLException;
import reactor.netty.http.client.HttpClient;

/**
 * Where the commands read from and with which credentials: the stored config, overridden by the
 * environment variables {@code HYDRANT_TARGET} and {@code HYDRANT_TOKEN}; without either, the local
 * Traffic Controller at {@value #DEFAULT_TARGET} without a token. TLS certificates are always verified:
 * against the JDK's CAs, or, when one is stored, against the {@code --ca-file} (a development CA).
 */
public final class Target {

    public static final String DEFAULT_TARGET = "http://localhost:8081";

    private final String url;
    private final CliConfig config;
    private final String environmentToken;

    private Target(String url, CliConfig config, String environmentToken) {
        this.url = url;
        this.config = config;
        this.environmentToken = environmentToken;
    }

    /** Reads the config file and the environment; throws IllegalArgumentException for a bad target. */
    public static Target resolve(CliEnvironment environment) {
        CliConfig config = new ConfigStore(environment.home()).load();
        String url = Objects.requireNonNullElse(environment.variable("HYDRANT_TARGET"),
                config.target().isEmpty() ? DEFAULT_TARGET : config.target());
        return new Target(checkUrl(url, "target"), config, environment.variable("HYDRANT_TOKEN"));
    }

    /** An http(s) URL without a trailing slash; throws IllegalArgumentException naming {@code what}. */
    public static String checkUrl(String url, String what) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the " + what + " '" + url + "' is not a URL");
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("the " + what + " '" + url + "' must be an http:// or https:// URL");
        }
        return url.trim().replaceAll("/+$", "");
    }

    /** Checks that a CA file exists and holds PEM certificates; throws IllegalArgumentException otherwise. */
    public static String checkCaFile(String caFile) {
        Path path = Path.of(caFile).toAbsolutePath();
        if (!Files.isReadable(path)) {
            throw new IllegalArgumentException("the CA file " + path + " does not exist or cannot be read");
        }
        try {
            SslContextBuilder.forClient().trustManager(path.toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the CA file " + path + " holds no PEM certificate");
        }
        return path.toString();
    }

    public String url() {
        return url;
    }

    /** A client for this target, reading streams over {@code transport}. */
    public HydrantClient client(Transport transport, ConnectionListener listener, CliEnvironment environment) {
        HttpClient http = httpClient();
        return HydrantClient.builder()
                .baseUrl(url)
                .transport(transport)
                .httpClient(http)
                .tokenProvider(tokens(http))
                .reconnect(environment.reconnect())
                .connectionListener(listener)
                .build();
    }

    /** Where the bearer token of each request comes from: HYDRANT_TOKEN, the stored token or client credentials. */
    public TokenProvider tokens(HttpClient http) {
        if (environmentToken != null) {
            return TokenProvider.fixed(environmentToken);
        }
        if (!config.token().isEmpty()) {
            return TokenProvider.fixed(config.token());
        }
        if (config.hasClientCredentials()) {
            return ClientCredentialsTokenProvider.builder(URI.create(config.tokenUrl()), config.clientId(),
                    config.clientSecret()).httpClient(http).build();
        }
        return TokenProvider.none();
    }

    /** An HTTP client for this target, trusting the stored CA file for an https target. */
    public HttpClient httpClient() {
        HttpClient http = HttpClient.create();
        if (config.caFile().isEmpty() || !url.startsWith("https:")) {
            return http;
        }
        SslContext context;
        try {
            context = SslContextBuilder.forClient().trustManager(new File(config.caFile())).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the CA file " + config.caFile() + " cannot be used: " + e.getMessage());
        }
        return http.secure(spec -> spec.sslContext(context));
    }
}
