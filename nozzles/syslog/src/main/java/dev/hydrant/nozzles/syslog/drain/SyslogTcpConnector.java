package dev.hydrant.nozzles.syslog.drain;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * {@code syslog://} and {@code syslog-tls://}: one TCP connection (TLS for syslog-tls, RFC 5425) carrying
 * messages with octet counting, {@code "<len> <msg>"} (RFC 6587). The server's certificate must be valid for
 * the drain's host name.
 */
final class SyslogTcpConnector implements DrainConnector {

    private static final int OUTPUT_BUFFER = 64 * 1024;
    private static final long BATCH_WAIT_MILLIS = 100;

    private final String host;
    private final int port;
    private final SSLContext tls;
    private final AddressPolicy addresses;
    private final int connectTimeoutMillis;

    /** @param tls null for plain TCP */
    SyslogTcpConnector(String host, int port, SSLContext tls, AddressPolicy addresses, Duration connectTimeout) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.addresses = addresses;
        this.connectTimeoutMillis = (int) connectTimeout.toMillis();
    }

    @Override
    public long batchWaitMillis() {
        return BATCH_WAIT_MILLIS;
    }

    @Override
    public DrainConnection connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(addresses.resolve(host), port), connectTimeoutMillis);
            socket.setTcpNoDelay(true);
            if (tls != null) {
                SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, host, port, true);
                SSLParameters parameters = secure.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                secure.setSSLParameters(parameters);
                secure.setSoTimeout(connectTimeoutMillis);
                secure.startHandshake();
                secure.setSoTimeout(0);
                socket = secure;
            }
            return new Connection(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static final class Connection implements DrainConnection {

        private final Socket socket;
        private final OutputStream out;
        private final byte[] digits = new byte[11];

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = new BufferedOutputStream(socket.getOutputStream(), OUTPUT_BUFFER);
        }

        @Override
        public void write(List<byte[]> messages) throws IOException {
            for (byte[] message : messages) {
                writeLength(message.length);
                out.write(message);
            }
            out.flush();
        }

        /** The octet count and its space, in ASCII digits, without a String for each message. */
        private void writeLength(int length) throws IOException {
            int at = digits.length;
            digits[--at] = ' ';
            int left = length;
            do {
                digits[--at] = (byte) ('0' + left % 10);
                left /= 10;
            } while (left > 0);
            out.write(digits, at, digits.length - at);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
