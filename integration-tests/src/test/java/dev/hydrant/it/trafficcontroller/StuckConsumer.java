package dev.hydrant.it.trafficcontroller;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.cloudfoundry.dropsonde.events.EventFactory;

/**
 * A websocket consumer that gets stuck: it upgrades by hand (RFC 6455) over a plain socket with a
 * small receive buffer, reads the first frame, and then reads nothing more, so the server's
 * writes back up within a few hundred kilobytes as they would behind a real stuck client.
 */
final class StuckConsumer implements AutoCloseable {

    /** The socket's receive buffer: small, so that the kernel does not soak up megabytes for it. */
    private static final int RECEIVE_BUFFER = 16 * 1024;

    private final Socket socket;
    private final DataInputStream in;
    /** {@code System.nanoTime()} when the consumer read its first and only frame. */
    final long stalledAt;
    /** That frame. */
    final EventFactory.Envelope first;

    private StuckConsumer(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.first = EventFactory.Envelope.parseFrom(binaryFrame());
        this.stalledAt = System.nanoTime();
    }

    static StuckConsumer connect(URI ws, String token) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(RECEIVE_BUFFER);
        socket.connect(new InetSocketAddress(ws.getHost(), ws.getPort()), 10_000);
        socket.setSoTimeout(30_000);
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        String path = ws.getRawPath() + (ws.getRawQuery() == null ? "" : "?" + ws.getRawQuery());
        String upgrade = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + ws.getHost() + ":" + ws.getPort() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Authorization: bearer " + token + "\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(upgrade.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String status = headers(socket.getInputStream());
        if (!status.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("upgrade refused: " + status);
        }
        return new StuckConsumer(socket);
    }

    /** The status line, after reading the response headers up to the empty line. */
    private static String headers(InputStream in) throws IOException {
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

    /** Reads frames until a complete binary message; control frames are skipped. */
    private byte[] binaryFrame() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            int b0 = in.readUnsignedByte();
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
            if (opcode == 0x8) {
                throw new IOException("closed by the server before the first frame");
            }
            if (opcode == 0x2 || opcode == 0x0) {
                message.writeBytes(payload);
                if ((b0 & 0x80) != 0) {
                    return message.toByteArray();
                }
            }
        }
    }

    /**
     * Reads again, everything there is, and tells whether the server has ended the connection
     * (end of stream or reset) within {@code timeout}.
     */
    boolean findsItsConnectionEnded(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        byte[] sink = new byte[64 * 1024];
        try {
            while (in.read(sink) >= 0) {
                // what was still on the way
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
