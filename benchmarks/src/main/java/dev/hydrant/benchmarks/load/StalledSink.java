package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A dead drain of the drain benchmark that still takes connections: it accepts and never reads, so a writer's
 * socket fills and its writes block, the hardest kind of dead for the drains beside it.
 */
final class StalledSink implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> held = new CopyOnWriteArrayList<>();

    StalledSink() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    socket.setReceiveBufferSize(4096);
                    held.add(socket);
                } catch (IOException e) {
                    return;
                }
            }
        }, "stalled-sink");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : held) {
            socket.close();
        }
    }
}
