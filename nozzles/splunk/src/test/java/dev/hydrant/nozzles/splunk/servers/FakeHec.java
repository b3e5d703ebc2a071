package dev.hydrant.nozzles.splunk.servers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * An HTTP Event Collector as its clients see it, written from Splunk's documentation of HEC's request and
 * response contract: {@code POST /services/collector/event} with {@code Authorization: Splunk <token>}
 * (401 "Token is required" code 2 without it, 401 "Invalid authorization" code 3 when it is not a Splunk
 * token, 403 "Invalid token" code 4 for a wrong one), bodies of JSON event objects one after another,
 * optionally gzip ({@code Content-Encoding: gzip}); 400 "No data" code 5 for an empty body, 400 "Invalid data
 * format" code 6, "Event field is required" code 12 or "Event field cannot be blank" code 13 with
 * {@code invalid-event-number} (the events before it are kept); {@code {"text":"Success","code":0}}. With
 * acknowledgement on, a request needs a channel ({@code X-Splunk-Request-Channel} or {@code ?channel=};
 * 400 "Data channel is missing" code 10), the answer carries {@code "ackId"}, numbered per channel from 0,
 * and {@code POST /services/collector/ack} with {@code {"acks":[ids]}} answers {@code {"acks":{"id":bool}}}.
 * A test can queue answers (503 "Server is busy" code 9, 429 with Retry-After, a connection closed without an
 * answer) and hold acknowledgements.
 */
public final class FakeHec implements AutoCloseable {

    static {
        // answer at once: without TCP_NODELAY the JDK server's separate header and body writes meet the client's
        // delayed ACK, and every request waits about 40 ms (read once, when the JDK's server class loads)
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /** A queued answer, for the next request that passes the token check. */
    public record Answer(int status, String body, String retryAfter) {

        public static Answer busy() {
            return new Answer(503, "{\"text\":\"Server is busy\",\"code\":9}", null);
        }

        /** The request is handled as without a queued answer (the events taken): a step in a sequence. */
        public static Answer asUsual() {
            return new Answer(-1, "", null);
        }

        /** No answer: the connection is closed, as a crashed HEC or a cut network would. */
        public static Answer hangUp() {
            return new Answer(0, "", null);
        }

        public static Answer tooMany(String retryAfter) {
            return new Answer(429, "{\"text\":\"Too many requests\",\"code\":9}", retryAfter);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final boolean keepEvents;
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    private final AtomicLong eventCount = new AtomicLong();
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger eventRequests = new AtomicInteger();
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private final AtomicInteger ackQueries = new AtomicInteger();
    private final Queue<Answer> queued = new ConcurrentLinkedQueue<>();
    private final Map<String, AtomicLong> nextAckId = new ConcurrentHashMap<>();
    private final Map<String, Boolean> acked = new ConcurrentHashMap<>();
    private volatile String token;
    private volatile boolean ackEnabled;
    private volatile boolean holdAcks;
    private volatile int invalidAt = -1;

    /** Plain HTTP on a free loopback port, keeping every event it accepts. */
    public FakeHec(String token) throws IOException {
        this(token, null, true);
    }

    /**
     * @param tls        HTTPS with this server context, or null for HTTP
     * @param keepEvents keep each event (tests), or only count them (the benchmark)
     */
    public FakeHec(String token, SSLContext tls, boolean keepEvents) throws IOException {
        this.token = token;
        this.keepEvents = keepEvents;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(address, 128);
        } else {
            HttpsServer https = HttpsServer.create(address, 128);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.createContext("/services/collector/ack", this::ack);
        server.createContext("/services/collector", this::event);
        server.setExecutor(executor);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url(String scheme) {
        return scheme + "://127.0.0.1:" + port();
    }

    public void token(String accepted) {
        this.token = accepted;
    }

    public void ackEnabled(boolean enabled) {
        this.ackEnabled = enabled;
    }

    /** While held, acknowledgement queries answer false for every id. */
    public void holdAcks(boolean hold) {
        this.holdAcks = hold;
    }

    public void queue(Answer answer, int times) {
        for (int i = 0; i < times; i++) {
            queued.add(answer);
        }
    }

    /**
     * The event at {@code index} of the next request that has that many events is refused as "Invalid data format"
     * (code 6); shorter requests before it are taken whole.
     */
    public void refuseEventAt(int index) {
        invalidAt = index;
    }

    public List<JsonNode> events() {
        return List.copyOf(events);
    }

    public long eventCount() {
        return eventCount.get();
    }

    /** Headers of every event request, lower-case names, in order of arrival. */
    public List<Map<String, String>> requests() {
        return List.copyOf(requests);
    }

    public int eventRequests() {
        return eventRequests.get();
    }

    /** {@link System#nanoTime()} at each event request's arrival. */
    public List<Long> arrivals() {
        return List.copyOf(arrivals);
    }

    public int ackQueries() {
        return ackQueries.get();
    }

    private void event(HttpExchange exchange) throws IOException {
        try (exchange) {
            eventRequests.incrementAndGet();
            arrivals.add(System.nanoTime());
            requests.add(headers(exchange));
            byte[] raw = exchange.getRequestBody().readAllBytes();
            if (!authorized(exchange)) {
                return;
            }
            Answer next = queued.poll();
            if (next != null && next.status() == 0) {
                return; // closing the exchange without an answer closes the connection
            }
            if (next != null && next.status() > 0) {
                if (next.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", next.retryAfter());
                }
                answer(exchange, next.status(), next.body());
                return;
            }
            String channel = channel(exchange);
            if (ackEnabled && channel == null) {
                answer(exchange, 400, "{\"text\":\"Data channel is missing\",\"code\":10}");
                return;
            }
            byte[] body = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? gunzip(raw) : raw;
            String refused = accept(body);
            if (refused != null) {
                answer(exchange, 400, refused);
                return;
            }
            if (ackEnabled) {
                long id = nextAckId.computeIfAbsent(channel, c -> new AtomicLong()).getAndIncrement();
                acked.put(channel + "/" + id, Boolean.TRUE);
                answer(exchange, 200, "{\"text\":\"Success\",\"code\":0,\"ackId\":" + id + "}");
            } else {
                answer(exchange, 200, "{\"text\":\"Success\",\"code\":0}");
            }
        }
    }

    /** Keeps the events up to the first invalid one; the refusal's body, or null when all were taken. */
    private String accept(byte[] body) throws IOException {
        int refuseAt = invalidAt;
        int index = 0;
        try (JsonParser parser = JSON.createParser(body)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken(), index++) {
                if (index == refuseAt) {
                    invalidAt = -1;
                    return invalid("Invalid data format", 6, index);
                }
                if (token != JsonToken.START_OBJECT) {
                    return invalid("Invalid data format", 6, index);
                }
                if (!keepEvents) {
                    parser.skipChildren();
                    eventCount.incrementAndGet();
                    continue;
                }
                JsonNode event = JSON.readTree(parser);
                if (!event.has("event")) {
                    return invalid("Event field is required", 12, index);
                }
                if (event.get("event").isString() && event.get("event").asString().isBlank()) {
                    return invalid("Event field cannot be blank", 13, index);
                }
                events.add(event);
                eventCount.incrementAndGet();
            }
        } catch (JacksonException e) {
            return invalid("Invalid data format", 6, index);
        }
        return index == 0 ? "{\"text\":\"No data\",\"code\":5}" : null;
    }

    private static String invalid(String text, int code, int index) {
        return "{\"text\":\"" + text + "\",\"code\":" + code + ",\"invalid-event-number\":" + index + "}";
    }

    private void ack(HttpExchange exchange) throws IOException {
        try (exchange) {
            ackQueries.incrementAndGet();
            byte[] raw = exchange.getRequestBody().readAllBytes();
            if (!authorized(exchange)) {
                return;
            }
            String channel = channel(exchange);
            if (!ackEnabled) {
                answer(exchange, 400, "{\"text\":\"ACK is disabled\",\"code\":14}");
                return;
            }
            if (channel == null) {
                answer(exchange, 400, "{\"text\":\"Data channel is missing\",\"code\":10}");
                return;
            }
            Map<String, Boolean> answers = new LinkedHashMap<>();
            for (JsonNode id : JSON.readTree(raw).path("acks")) {
                answers.put(id.asString(), !holdAcks && acked.containsKey(channel + "/" + id.asString()));
            }
            answer(exchange, 200, JSON.writeValueAsString(Map.of("acks", answers)));
        }
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (authorization == null) {
            answer(exchange, 401, "{\"text\":\"Token is required\",\"code\":2}");
            return false;
        }
        if (!authorization.startsWith("Splunk ")) {
            answer(exchange, 401, "{\"text\":\"Invalid authorization\",\"code\":3}");
            return false;
        }
        if (!authorization.substring("Splunk ".length()).equals(token)) {
            answer(exchange, 403, "{\"text\":\"Invalid token\",\"code\":4}");
            return false;
        }
        return true;
    }

    private static String channel(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("X-Splunk-Request-Channel");
        if (header != null) {
            return header;
        }
        String query = exchange.getRequestURI().getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("channel=")) {
                    return pair.substring("channel=".length());
                }
            }
        }
        return null;
    }

    private static Map<String, String> headers(HttpExchange exchange) {
        Map<String, String> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
        return headers;
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
