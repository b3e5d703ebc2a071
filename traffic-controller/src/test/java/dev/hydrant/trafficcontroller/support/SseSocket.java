package dev.hydrant.trafficcontroller.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A {@code GET /v2/read} reader on a plain socket, so a test can hang up as a client would: it
 * keeps everything it reads as text (chunked framing included) until {@link #close()}.
 */
public final class SseSocket implements AutoCloseable {

    private final Socket socket;
    private final StringBuffer text = new StringBuffer();

    private SseSocket(Socket socket) {
        this.socket = socket;
    }

    /** Opens {@code /v2/read} with {@code query} (starting with ?) and a bearer token. */
    public static SseSocket open(int port, String query, String token) {
        try {
            Socket socket = new Socket("127.0.0.1", port);
            SseSocket reader = new SseSocket(socket);
            socket.getOutputStream().write(("GET /v2/read" + query + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nAuthorization: bearer " + token + "\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            Thread thread = new Thread(reader::read, "sse-socket-reader");
            thread.setDaemon(true);
            thread.start();
            return reader;
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to 127.0.0.1:" + port, e);
        }
    }

    private void read() {
        byte[] chunk = new byte[8192];
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                text.append(new String(chunk, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // closed by the test
        }
    }

    /** Everything read so far. */
    public String text() {
        return text.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
