package dev.hydrant.trafficcontroller.websocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelId;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.Optional;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import reactor.netty.http.server.HttpServer;

/**
 * The public listener's open connections, so that a slow consumer can be cut off for real: a
 * stalled consumer never reads the close frame, and a close handshake never finishes without it.
 * Closed connections leave the group by themselves.
 */
public final class OpenConnections implements NettyServerCustomizer {

    private final ChannelGroup channels = new DefaultChannelGroup("public-listener", GlobalEventExecutor.INSTANCE);

    @Override
    public HttpServer apply(HttpServer server) {
        return server.doOnConnection(connection -> channels.add(connection.channel()));
    }

    /** The connection with this id, if it is still open. */
    public Optional<Channel> find(ChannelId id) {
        return Optional.ofNullable(channels.find(id));
    }

    /** Closes the connection with this id, if it is still open. */
    public void close(ChannelId id) {
        var channel = channels.find(id);
        if (channel != null) {
            channel.close();
        }
    }
}
