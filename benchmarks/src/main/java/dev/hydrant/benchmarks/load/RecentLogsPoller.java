package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks the Traffic Controller for one app's recent logs, {@code GET /apps/{id}/recentlogs}
 * (docs/wire.md section 4), once per {@link #poll()}: counts the answers, the envelopes in them (the
 * parts of the {@code multipart/x-protobuf} body) and the answers that were not a 200 with at least
 * one envelope while the app was logging.
 */
final class RecentLogsPoller {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI uri;
    private final String token;
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong envelopes = new AtomicLong();
    private final AtomicLong empty = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile String lastFailure;

    RecentLogsPoller(URI base, String sourceId, String token) {
        this.uri = base.resolve("/apps/" + sourceId + "/recentlogs");
        this.token = Objects.requireNonNull(token, "token");
    }

    /** One request; never throws (a failure is counted and kept for the report). */
    void poll() {
        polls.incrementAndGet();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Authorization", "bearer " + token).GET().build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                fail("HTTP " + response.statusCode());
                return;
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            int at = type.indexOf("boundary=");
            if (at < 0) {
                fail("no multipart boundary in Content-Type: " + type);
                return;
            }
            long parts = parts(response.body(), type.substring(at + "boundary=".length()).trim());
            if (parts == 0) {
                empty.incrementAndGet();
            }
            envelopes.addAndGet(parts);
        } catch (IOException e) {
            fail(e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fail(String why) {
        failed.incrementAndGet();
        lastFailure = why;
    }

    /** The parts of a body whose parts each start with {@code --boundary CRLF}; the closing delimiter is not one. */
    static long parts(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII);
        long count = 0;
        outer:
        for (int i = 0; i + delimiter.length <= body.length; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (body[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            count++;
            i += delimiter.length - 1;
        }
        return count;
    }

    long polls() {
        return polls.get();
    }

    long envelopes() {
        return envelopes.get();
    }

    /** 200 answers without an envelope. */
    long empty() {
        return empty.get();
    }

    /** Answers other than 200, and requests that failed. */
    long failed() {
        return failed.get();
    }

    String lastFailure() {
        return lastFailure;
    }
}
