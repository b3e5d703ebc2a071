package dev.hydrant.testsupport.websocket;

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

/**
 * A websocket client with nothing done for it: it upgrades by hand (RFC 6455) over a plain socket
 * and then reads frames only when the test asks, never answering a ping. So it can play the
 * consumer that stops reading (the server's writes back up behind a small receive buffer) or the
 * one that never pongs.
 */
public final class RawWebsocket implements AutoCloseable {

    /** A receive buffer small enough that the kernel does not soak up megabytes for a stuck reader. */
    public static final int SMALL_RECEIVE_BUFFER = 16 * 1024;

    /** How the server ended the stream: the close code (-1 when closed without a close frame) and the pings seen before. */
    public record Closing(int code, int pingsSeen) {
    }

    private static final int OPCODE_CONTINUATION = 0x0;
    private static final int OPCODE_BINARY = 0x2;
    private static final int OPCODE_CLOSE = 0x8;
    private static final int OPCODE_PING = 0x9;

    private final Socket socket;
    private final DataInputStream in;

    private RawWebsocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
    }

    /** Upgrades {@code ws} (path and query) with {@code Authorization: bearer token}, the socket's buffers as the system sizes them. */
    public static RawWebsocket connect(URI ws, String token) throws IOException {
        return connect(ws, token, 0);
    }

    /** Upgrades with a receive buffer of {@code receiveBuffer} bytes (0: as the system sizes it). */
    public static RawWebsocket connect(URI ws, String token, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
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
        String status = statusLine(socket.getInputStream());
        if (!status.startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("upgrade refused: " + status);
        }
        return new RawWebsocket(socket);
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

    /** Reads frames until one whole binary message and answers its bytes; control frames are skipped. */
    public byte[] nextBinaryMessage() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        while (true) {
            Frame frame = frame(in.readUnsignedByte());
            if (frame.opcode() == OPCODE_CLOSE) {
                throw new IOException("closed by the server before a whole binary message");
            }
            if (frame.opcode() == OPCODE_BINARY || frame.opcode() == OPCODE_CONTINUATION) {
                message.writeBytes(frame.payload());
                if (frame.last()) {
                    return message.toByteArray();
                }
            }
        }
    }

    /** Reads (and ignores) every frame until the server's close frame or the end of the connection. */
    public Closing readUntilClose(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        int pings = 0;
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                return new Closing(-1, pings);
            }
            Frame frame = frame(b0);
            if (frame.opcode() == OPCODE_PING) {
                pings++;
            } else if (frame.opcode() == OPCODE_CLOSE) {
                byte[] payload = frame.payload();
                int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
                return new Closing(code, pings);
            }
        }
    }

    /**
     * Reads again, everything there is, and tells whether the server has ended the connection
     * (end of stream or reset) within {@code timeout}.
     */
    public boolean findsItsConnectionEnded(Duration timeout) throws IOException {
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

    private record Frame(int opcode, boolean last, byte[] payload) {
    }

    /** The rest of a frame whose first byte was {@code b0}: an unmasked server frame. */
    private Frame frame(int b0) throws IOException {
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(b0 & 0x0f, (b0 & 0x80) != 0, payload);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
