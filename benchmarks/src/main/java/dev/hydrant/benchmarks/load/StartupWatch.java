package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times a started component's start-up from outside, polling every {@value #POLL_MILLIS} ms from its exec
 * on a thread of its own (so that components started side by side are timed side by side): when each port
 * it logs it bound (its web servers', and its gRPC server's by a pattern) first accepts a TCP connection,
 * and when each of its web servers first answers UP on {@code /actuator/health}. The port comes from the
 * log because the components bind port 0; the log line is written once the port is bound, and the time
 * taken is that of the first connection that succeeded. It stops once it was told to, the process ended,
 * 30 s after a server answered UP, or after ten minutes.
 */
final class StartupWatch implements Runnable {

    static final long POLL_MILLIS = 20;
    private static final Pattern WEB_SERVER = Pattern.compile("Netty started on port (\\d+)");
    private static final long LIMIT_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final long AFTER_UP_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int CONNECT_TIMEOUT_MILLIS = 200;

    private final long execNanos;
    private final Supplier<String> log;
    private final Pattern listenPattern;
    private final BooleanSupplier alive;
    private final Map<Integer, Long> acceptedNanos = new ConcurrentHashMap<>();
    private final Map<Integer, Long> upNanos = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private volatile int listenPort = -1;
    private volatile List<Integer> webPorts = List.of();
    private volatile boolean stopped;

    /**
     * @param execNanos     System.nanoTime() just before the process was executed
     * @param log           the component's log so far
     * @param listenPattern a log line with the port of its main (gRPC) server as group 1, or null
     * @param alive         whether the process still runs
     */
    StartupWatch(long execNanos, Supplier<String> log, Pattern listenPattern, BooleanSupplier alive) {
        this.execNanos = execNanos;
        this.log = log;
        this.listenPattern = listenPattern;
        this.alive = alive;
    }

    @Override
    public void run() {
        try {
            while (!stopped && alive.getAsBoolean() && System.nanoTime() - execNanos < LIMIT_NANOS) {
                poll();
                int up = upPort();
                if (up > 0 && System.nanoTime() - upNanos.get(up) > AFTER_UP_NANOS) {
                    return; // whoever started it did not stop it: the servers it will have are up by now
                }
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void poll() throws InterruptedException {
        String text = log.get();
        if (listenPattern != null && listenPort < 0) {
            Matcher matcher = listenPattern.matcher(text);
            if (matcher.find()) {
                listenPort = Integer.parseInt(matcher.group(1));
            }
        }
        List<Integer> ports = new ArrayList<>();
        Matcher matcher = WEB_SERVER.matcher(text);
        while (matcher.find()) {
            ports.add(Integer.parseInt(matcher.group(1)));
        }
        webPorts = List.copyOf(ports);
        if (listenPort > 0) {
            tryAccept(listenPort);
        }
        for (int port : ports) {
            // once one server answered UP (the management one) the others are not asked: a public port has no health
            if (tryAccept(port) && upNanos.isEmpty() && answersUp(port)) {
                upNanos.put(port, System.nanoTime());
            }
        }
    }

    private boolean tryAccept(int port) {
        if (acceptedNanos.containsKey(port)) {
            return true;
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), CONNECT_TIMEOUT_MILLIS);
            acceptedNanos.put(port, System.nanoTime());
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private boolean answersUp(int port) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().contains("\"UP\"");
        } catch (IOException notYet) {
            return false;
        }
    }

    /** The web server ports logged so far, in the order they started. */
    List<Integer> webPorts() {
        return webPorts;
    }

    /** The first web server port that answered UP, or -1. */
    int upPort() {
        return upNanos.entrySet().stream().min(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(-1);
    }

    /** Milliseconds from exec until {@code port} first accepted a TCP connection, if it has. */
    OptionalLong millisToAccept(int port) {
        Long at = acceptedNanos.get(port);
        return at == null ? OptionalLong.empty() : OptionalLong.of(TimeUnit.NANOSECONDS.toMillis(at - execNanos));
    }

    /** Milliseconds from exec until {@code port} first answered UP, if it has. */
    OptionalLong millisToUp(int port) {
        Long at = upNanos.get(port);
        return at == null ? OptionalLong.empty() : OptionalLong.of(TimeUnit.NANOSECONDS.toMillis(at - execNanos));
    }

    /** Stops polling (start-up is over). */
    void stop() {
        stopped = true;
    }
}
