package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A syslog TCP receiver of the drain benchmark's own, for many drains at once: one port, one selector thread, and
 * for each connection (one per drain) a count of the octet-counted frames ({@code <len> <msg>}, RFC 6587) read
 * whole. It parses only the framing, so it costs far less CPU than a syslog server per message.
 */
final class FrameSink implements AutoCloseable {

    private final ServerSocketChannel server;
    private final Selector selector;
    private final Thread thread;
    private final List<AtomicLong> counts = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    FrameSink() throws IOException {
        selector = Selector.open();
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2048);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        thread = new Thread(this::run, "frame-sink");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return server.socket().getLocalPort();
    }

    /** Frames read whole so far, over every connection. */
    long total() {
        long total = 0;
        for (AtomicLong count : counts) {
            total += count.get();
        }
        return total;
    }

    /** Frames read whole so far on each connection, in the order they were accepted. */
    List<Long> perConnection() {
        List<Long> each = new ArrayList<>();
        counts.forEach(count -> each.add(count.get()));
        return each;
    }

    private void run() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(256 * 1024);
        try {
            while (!closed) {
                selector.select(200);
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isAcceptable()) {
                        SocketChannel channel = server.accept();
                        if (channel != null) {
                            channel.configureBlocking(false);
                            Framing framing = new Framing();
                            counts.add(framing.count);
                            channel.register(selector, SelectionKey.OP_READ, framing);
                        }
                    } else if (key.isReadable()) {
                        read(key, buffer);
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            if (!closed) {
                System.err.println("frame sink failed: " + e);
            }
        }
    }

    private static void read(SelectionKey key, ByteBuffer buffer) {
        SocketChannel channel = (SocketChannel) key.channel();
        Framing framing = (Framing) key.attachment();
        try {
            buffer.clear();
            int read = channel.read(buffer);
            if (read < 0) {
                key.cancel();
                channel.close();
                return;
            }
            buffer.flip();
            framing.consume(buffer);
        } catch (IOException e) {
            key.cancel();
            try {
                channel.close();
            } catch (IOException ignored) {
                // gone anyway
            }
        }
    }

    /** Where one connection is in its stream: reading a length, or skipping the rest of a message. */
    private static final class Framing {
        final AtomicLong count = new AtomicLong();
        int length;
        int remaining = -1;

        void consume(ByteBuffer bytes) {
            while (bytes.hasRemaining()) {
                if (remaining < 0) {
                    byte b = bytes.get();
                    if (b == ' ') {
                        remaining = length;
                        length = 0;
                    } else {
                        length = length * 10 + (b - '0');
                    }
                } else {
                    int skip = Math.min(remaining, bytes.remaining());
                    bytes.position(bytes.position() + skip);
                    remaining -= skip;
                }
                if (remaining == 0) {
                    remaining = -1;
                    count.incrementAndGet();
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(2_000);
            server.close();
            selector.close();
        } catch (IOException | InterruptedException e) {
            // closing anyway
        }
    }
}
