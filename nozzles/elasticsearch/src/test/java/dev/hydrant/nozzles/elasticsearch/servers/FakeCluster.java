package dev.hydrant.nozzles.elasticsearch.servers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.hydrant.plumbing.tls.CertificateAuthority;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A stand-in for a cluster's {@code _index_template} and {@code _bulk} as their contract says, over plain HTTP
 * or TLS (a certificate from the test's CA), for the paths a real single node does not take on demand: it
 * checks the Authorization header (401 otherwise, as Elasticsearch answers), and answers the first
 * {@code busyBulks} bulks' every second item with an item-level 429 {@code es_rejected_execution_exception},
 * as a node with a full write queue does. Every document it accepts is kept.
 */
public final class FakeCluster implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final String authorization;
    private final AtomicInteger busyBulks;
    private final AtomicInteger bulks = new AtomicInteger();
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    private FakeCluster(HttpServer server, String authorization, int busyBulks) {
        this.server = server;
        this.authorization = authorization;
        this.busyBulks = new AtomicInteger(busyBulks);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** Over plain HTTP; {@code authorization} null accepts any. */
    public static FakeCluster http(String authorization, int busyBulks) throws IOException {
        return new FakeCluster(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0), authorization, busyBulks);
    }

    /** Over TLS with a certificate for localhost and 127.0.0.1 from {@code ca}. */
    public static FakeCluster https(CertificateAuthority ca, String authorization) throws Exception {
        CertificateAuthority.Issued issued = ca.issue("cluster");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("cluster", issued.keyPair().getPrivate(), new char[0],
                new Certificate[] {issued.certificate(), ca.certificate()});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keys, new char[0]);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(factory.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        return new FakeCluster(server, authorization, 0);
    }

    public String url() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The document lines of every item answered 201, in the order they came. */
    public List<String> accepted() {
        return List.copyOf(accepted);
    }

    public int bulks() {
        return bulks.get();
    }

    /** The Authorization headers received. */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(auth));
            if (authorization != null && !authorization.equals(auth)) {
                answer(exchange, 401, "{\"error\":{\"type\":\"security_exception\",\"reason\":\"unable to authenticate\"},\"status\":401}");
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/_index_template/")) {
                answer(exchange, 200, "{\"acknowledged\":true}");
            } else if (path.equals("/_bulk")) {
                bulks.incrementAndGet();
                answer(exchange, 200, bulk(new String(body, StandardCharsets.UTF_8)));
            } else {
                answer(exchange, 404, "{}");
            }
        }
    }

    private String bulk(String ndjson) {
        String[] lines = ndjson.split("\n");
        StringBuilder items = new StringBuilder();
        boolean busy = busyBulks.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        boolean errors = false;
        for (int i = 0; i + 1 < lines.length; i += 2) {
            if (items.length() > 0) {
                items.append(',');
            }
            if (busy && (i / 2) % 2 == 1) {
                errors = true;
                items.append("{\"create\":{\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\","
                        + "\"reason\":\"rejected execution: the write queue is full\"}}}");
            } else {
                accepted.add(lines[i + 1]);
                items.append("{\"create\":{\"status\":201}}");
            }
        }
        return "{\"errors\":" + errors + ",\"items\":[" + items + "]}";
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
