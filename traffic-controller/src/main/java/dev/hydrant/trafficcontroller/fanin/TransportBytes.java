package dev.hydrant.trafficcontroller.fanin;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import reactor.netty.Connection;

/**
 * Whether one websocket or SSE client's transport has room for more: its {@link ClientStream} sends only
 * while it has. Between the stream and the socket, Reactor's operators and Reactor Netty's send ask for
 * hundreds of messages ahead of the network, and Reactor Netty's send writes all it is given into the
 * connection whatever the connection's writability, so without this a reader that stops reading would have
 * its envelopes taken out of its buffer (outside egress-buffer-bytes, never dropped) into the connection's
 * outbound buffer until memory ran out. Room is: less than {@link #LIMIT} handed over and not yet taken by
 * the connection (each message's bytes are wrapped in a buffer that counts them back when Netty releases
 * it: written, copied into the connection's outbound buffer, or discarded), and the connection writable
 * (its outbound buffer below Netty's high-water mark, 64 KiB). Either one freeing up lets the stream send
 * again. So a stalled reader holds in its transport at most about one batch beyond its buffer.
 */
public final class TransportBytes {

    /** Bytes handed to the transport and not yet written, beyond which the stream waits: one batch's bound. */
    public static final long LIMIT = 1024 * 1024;

    private static final NettyDataBufferFactory FACTORY = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);

    private static final String HANDLER = "hydrant.transportBytes";

    private final AtomicLong unwritten = new AtomicLong();
    private volatile Runnable onWritten = () -> { };
    private volatile Channel channel;

    /** Whether the stream may hand the transport more now. */
    public boolean hasRoom() {
        Channel connection = channel;
        return unwritten.get() < LIMIT && (connection == null || connection.isWritable());
    }

    /** Takes the connection's writability into account too, from now on. */
    public void watch(Channel connection) {
        this.channel = connection;
        Connection.from(connection).addHandlerLast(HANDLER, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                if (ctx.channel().isWritable()) {
                    onWritten.run();
                }
                ctx.fireChannelWritabilityChanged();
            }
        });
    }

    /** Bytes handed to the transport and not yet written. */
    public long unwritten() {
        return unwritten.get();
    }

    /**
     * Runs {@code listener} when there may be room again: a message was taken by the connection (on
     * whichever thread releases it) or the connection became writable (on its event loop).
     */
    public void onWritten(Runnable listener) {
        this.onWritten = Objects.requireNonNull(listener, "listener");
    }

    /** {@code bytes} as one message for the transport, counted until it is written. */
    public DataBuffer track(byte[] bytes) {
        unwritten.addAndGet(bytes.length);
        return FACTORY.wrap(new Counted(bytes));
    }

    /** A message's bytes; Netty releases it when written, and then they are no longer counted. */
    private final class Counted extends UnpooledHeapByteBuf {

        private final int length;

        Counted(byte[] bytes) {
            super(UnpooledByteBufAllocator.DEFAULT, bytes, bytes.length);
            this.length = bytes.length;
        }

        @Override
        protected void deallocate() {
            super.deallocate();
            unwritten.addAndGet(-length);
            onWritten.run();
        }
    }
}
