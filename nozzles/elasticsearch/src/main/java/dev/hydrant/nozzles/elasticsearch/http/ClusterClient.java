package dev.hydrant.nozzles.elasticsearch.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * The cluster's REST API over the JDK's HTTP client (HTTP/1.1, kept-alive connections, one per request in
 * flight), with the authorization header and the TLS trust of the settings. Speaks to Elasticsearch 8 and
 * OpenSearch 2 alike: both take the same {@code _bulk} and {@code _index_template} requests.
 */
public final class ClusterClient implements AutoCloseable {

    private final URI base;
    private final String authorization;
    private final Duration requestTimeout;
    private final HttpClient http;
    /** Runs the client's own work (reading answers, completing futures); daemon threads, stopped by close. */
    private final ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "elasticsearch-http");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * @param authorization the {@code Authorization} header's value, or null for none
     * @param ssl           the TLS trust for {@code https://}; null: the JDK's default
     */
    public ClusterClient(URI base, String authorization, SSLContext ssl, Duration connectTimeout,
                         Duration requestTimeout) {
        String url = Objects.requireNonNull(base, "base").toString();
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        this.authorization = authorization;
        this.requestTimeout = requestTimeout;
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .executor(executor);
        if (ssl != null) {
            builder.sslContext(ssl);
        }
        this.http = builder.build();
    }

    /** {@code POST _bulk} with the NDJSON {@code body}; answers only what the nozzle reads of the result. */
    public CompletableFuture<HttpResponse<byte[]>> bulk(byte[] body) {
        return http.sendAsync(request("_bulk?filter_path=errors,items.*.status,items.*.error.type,items.*.error.reason")
                        .header("Content-Type", "application/x-ndjson")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A JSON request: {@code PUT _index_template/x}, {@code GET _cluster/health}... */
    public HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.BodyPublisher body = json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json);
        return http.send(request(path).header("Content-Type", "application/json").method(method, body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The cluster's address, for log lines (the settings keep credentials out of it). */
    public URI base() {
        return base;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
