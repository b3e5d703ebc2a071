package dev.hydrant.nozzles.syslog.servers;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves {@code GET /v1/drains?include_secrets=true} as the bindings API's contract says (docs: DRAINS_API),
 * from bindings the test sets; every change bumps the generation. Only the admin token is answered; others
 * get 404 as the real API answers a non-admin asking for secrets.
 */
public final class BindingsServer implements AutoCloseable {

    public static final String ADMIN_TOKEN = "admin-token";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    private final List<Map<String, Object>> drains = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile long generation = 1;

    public BindingsServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/drains", exchange -> {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            requests.add(exchange.getRequestURI() + " | " + auth);
            byte[] body;
            int status;
            if (!("bearer " + ADMIN_TOKEN).equalsIgnoreCase(String.valueOf(auth))
                    || !"include_secrets=true".equals(exchange.getRequestURI().getQuery())) {
                status = 404;
                body = "{\"error\":\"not_found\",\"message\":\"not found\"}".getBytes(StandardCharsets.UTF_8);
            } else {
                status = 200;
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("generation", generation);
                answer.put("drains", new ArrayList<>(drains));
                body = JSON.writeValueAsBytes(answer);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<String> requests() {
        return requests;
    }

    /** Binds {@code url} to {@code sourceId}; cert, key and ca may be null. */
    public synchronized BindingsServer bind(String id, String sourceId, String url, String cert, String key, String ca) {
        Map<String, Object> drain = new LinkedHashMap<>();
        drain.put("id", id);
        drain.put("source_id", sourceId);
        drain.put("url", url);
        drain.put("drain_type", drainType(url));
        drain.put("disable_metadata", url.contains("disable-metadata=true"));
        drain.put("client_cert", cert != null);
        drain.put("ca", ca != null);
        drain.put("created_at", "2026-11-28T08:00:00Z");
        if (cert != null) {
            drain.put("cert", cert);
            drain.put("key", key);
        }
        if (ca != null) {
            drain.put("ca", ca);
        }
        drains.add(drain);
        generation++;
        return this;
    }

    public BindingsServer bind(String id, String sourceId, String url) {
        return bind(id, sourceId, url, null, null, null);
    }

    public synchronized void unbind(String id) {
        drains.removeIf(drain -> drain.get("id").equals(id));
        generation++;
    }

    private static String drainType(String url) {
        for (String type : List.of("logs", "metrics", "all")) {
            if (url.contains("drain-type=" + type)) {
                return type;
            }
        }
        return "logs";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
