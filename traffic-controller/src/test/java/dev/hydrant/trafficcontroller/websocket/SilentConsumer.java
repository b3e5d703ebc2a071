package dev.hydrant.trafficcontroller.websocket;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * A websocket consumer that never answers pings: it upgrades by hand (RFC 6455) over a plain
 * socket and then only reads frames, so no pong ever goes back to the server.
 */
final class SilentConsumer implements AutoCloseable {

    /** How the server ended the stream: the close code (-1 when closed without a close frame) and the pings seen before. */
    record Closing(int code, int pingsSeen) {
    }

    private final Socket socket;
    private final DataInputStream in;

    private SilentConsumer(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
    }

    static SilentConsumer connect(URI ws, String token) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(ws.getHost(), ws.getPort()), 10_000);
        socket.setSoTimeout(10_000);
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        String upgrade = "GET " + ws.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + ws.getHost() + ":" + ws.getPort() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Authorization: bearer " + token + "\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(upgrade.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = statusLine(socket.getInputStream());
        if (!status.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("upgrade refused: " + status);
        }
        return new SilentConsumer(socket);
    }

    /** Reads the response headers up to the empty line; answers the status line. */
    private static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed during the upgrade");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        return text.substring(0, text.indexOf("\r\n"));
    }

    /** Reads (and ignores) every frame until the server's close frame or the end of the connection. */
    Closing readUntilClose(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        int pings = 0;
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                return new Closing(-1, pings);
            }
            int b1 = in.readUnsignedByte();
            long length = b1 & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            int opcode = b0 & 0x0f;
            if (opcode == 0x9) {
                pings++;
            } else if (opcode == 0x8) {
                int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
                return new Closing(code, pings);
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
