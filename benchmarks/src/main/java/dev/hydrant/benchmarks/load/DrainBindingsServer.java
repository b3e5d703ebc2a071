package dev.hydrant.benchmarks.load;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The bindings side of a fake Traffic Controller for the drain benchmark: {@code GET /v1/drains} answers the
 * drains set last (each {@code syslog://} URL bound to its own source id) with a generation that grows with each
 * change, in the JSON the Traffic Controller gives an admin (docs/wire.md section 7). Any token is taken.
 */
final class DrainBindingsServer implements AutoCloseable {

    /** One binding: its id, the source id whose logs it takes, its URL. */
    record Drain(String id, String sourceId, String url) {
    }

    private final HttpServer server;
    private volatile byte[] answer = "{\"generation\":0,\"drains\":[]}".getBytes(StandardCharsets.UTF_8);
    private long generation;

    DrainBindingsServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/drains", exchange -> {
            byte[] body = answer;
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized void set(List<Drain> drains) {
        StringBuilder json = new StringBuilder("{\"generation\":").append(++generation).append(",\"drains\":[");
        for (int i = 0; i < drains.size(); i++) {
            Drain drain = drains.get(i);
            json.append(i == 0 ? "" : ",").append("{\"id\":\"").append(drain.id())
                    .append("\",\"source_id\":\"").append(drain.sourceId())
                    .append("\",\"url\":\"").append(drain.url()).append("\",\"drain_type\":\"logs\"}");
        }
        answer = json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
