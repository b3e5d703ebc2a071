package dev.hydrant.it.trafficcontroller;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cloudfoundry.dropsonde.events.EventFactory;
import tools.jackson.databind.JsonNode;

/**
 * The recent-log reads as a client writes them from docs/wire.md sections 4 and 6: the v1
 * {@code multipart/x-protobuf} answer split at its boundary, one dropsonde Envelope per part, and
 * the Log Cache style JSON read with Jackson. Each answer carries how long it took.
 */
final class RecentClient {

    record Multipart(int status, String contentType, List<EventFactory.Envelope> envelopes, Duration took) {
    }

    record Json(int status, JsonNode body, Duration took) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private RecentClient() {
    }

    static Multipart recentLogs(URI uri, String token) throws Exception {
        long start = System.nanoTime();
        HttpResponse<byte[]> response = HTTP.send(request(uri, token), HttpResponse.BodyHandlers.ofByteArray());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        List<EventFactory.Envelope> envelopes = new ArrayList<>();
        if (response.statusCode() == 200) {
            for (byte[] part : parts(response.body(), boundary(contentType))) {
                envelopes.add(EventFactory.Envelope.parseFrom(part));
            }
        }
        return new Multipart(response.statusCode(), contentType, envelopes, took);
    }

    static Json read(URI uri, String token) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = HTTP.send(request(uri, token), HttpResponse.BodyHandlers.ofString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new Json(response.statusCode(), SseConsumer.JSON.readTree(response.body()), took);
    }

    private static HttpRequest request(URI uri, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        if (token != null) {
            request.header("Authorization", "bearer " + token);
        }
        return request.GET().build();
    }

    private static String boundary(String contentType) {
        for (String parameter : contentType.split(";")) {
            String trimmed = parameter.trim();
            if (trimmed.regionMatches(true, 0, "boundary=", 0, 9)) {
                return trimmed.substring(9).replace("\"", "");
            }
        }
        throw new AssertionError("no boundary in Content-Type " + contentType);
    }

    /**
     * The bodies of a multipart body (RFC 2046): parts start after a {@code --boundary} line and
     * their (possibly empty) headers, and end before CRLF {@code --boundary}.
     */
    static List<byte[]> parts(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        byte[] headersEnd = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        List<byte[]> parts = new ArrayList<>();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int lineEnd = at + delimiter.length;
            if (lineEnd + 1 < body.length && body[lineEnd] == '-' && body[lineEnd + 1] == '-') {
                break;
            }
            // the delimiter line ends with CRLF; headers, if any, end with an empty line
            int contentStart = lineEnd + 2;
            if (!(body[contentStart] == '\r' && body[contentStart + 1] == '\n')) {
                contentStart = indexOf(body, headersEnd, lineEnd) + headersEnd.length;
            } else {
                contentStart += 2;
            }
            int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII), contentStart);
            if (next < 0) {
                throw new AssertionError("multipart body without a closing delimiter");
            }
            parts.add(Arrays.copyOfRange(body, contentStart, next));
            at = next + 2;
        }
        return parts;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
