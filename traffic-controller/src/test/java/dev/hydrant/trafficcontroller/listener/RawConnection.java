package dev.hydrant.trafficcontroller.listener;

import dev.hydrant.plumbing.tls.CertificateAuthority;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A client connection to the public listener with nothing done for it: it sends exactly the bytes the
 * test gives (half a request, or nothing at all) and reads what comes back, to see whether and how
 * the Traffic Controller answers or hangs up.
 */
final class RawConnection implements AutoCloseable {

    private final Socket socket;

    private RawConnection(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(30_000);
    }

    /** A plain TCP connection. */
    static RawConnection plain(int port) throws IOException {
        return new RawConnection(new Socket("127.0.0.1", port));
    }

    /** A TLS connection whose handshake is done, trusting {@code ca}. */
    static RawConnection tls(int port, CertificateAuthority ca) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        return new RawConnection(socket);
    }

    RawConnection send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return this;
    }

    /** The head of the next answer (status line and headers), read up to the blank line. */
    String head() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Bytes {@code n} of the answer's body, as text. */
    String body(int n) throws IOException {
        return new String(socket.getInputStream().readNBytes(n), StandardCharsets.UTF_8);
    }

    /**
     * Whether the server hangs up within {@code patience} without sending anything: true when the
     * connection ends (end of stream or reset), false when it is still open then.
     *
     * @throws IOException when the server sends bytes instead
     */
    boolean closedByServerWithin(Duration patience) throws IOException {
        socket.setSoTimeout((int) patience.toMillis());
        try {
            int b = socket.getInputStream().read();
            if (b >= 0) {
                throw new IOException("the server sent a byte (" + b + ") instead of hanging up");
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("the server sent")) {
                throw e;
            }
            return true; // reset
        } finally {
            socket.setSoTimeout(30_000);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
