package dev.hydrant.trafficcontroller.listener;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import reactor.netty.NettyPipeline;

/**
 * One connection of the public listener, from accept to close (every method runs on the
 * connection's event loop). It is admitted under the connection cap or closed at once; then each
 * phase in which the client owes something has a deadline: the TLS handshake (handshake-timeout),
 * a whole request from the connection's start or from the first byte after a kept-alive pause
 * (request-timeout), the next request's first byte after a response (keep-alive-timeout). A
 * request read whole stops the clock until its response is written; a websocket upgrade stops it
 * for good, and so does an SSE stream, whose response does not end: accepted streams have their
 * own keep-alives. A connection whose deadline passes is closed without a word to the client and
 * counted ({@code rejected_requests{reason=handshake_timeout|idle_timeout}}), except a kept-alive
 * connection that simply went quiet, which is normal. Nothing is logged per connection: the
 * half request such a close leaves in the HTTP decoder is dropped here, and so is an I/O error of a
 * connection that owes its client no answer.
 */
final class ConnectionDeadline extends ChannelDuplexHandler {

    private enum Phase {
        /** TLS handshake under way. */
        HANDSHAKE,
        /** New connection, no whole request yet: the deadline runs from the start. */
        FIRST_REQUEST,
        /** After a response: waiting for the first byte of the next request. */
        KEPT_ALIVE,
        /** A later request has begun and must be whole within request-timeout. */
        NEXT_REQUEST,
        /** A request read whole and not yet answered: no deadline. */
        ANSWERING,
        /** A websocket now: no deadline ever again. */
        UPGRADED
    }

    private final PublicListener listener;
    private Phase phase;
    private ScheduledFuture<?> timer;
    private boolean admitted;
    private boolean inRequest;
    private long requests;
    private long responses;

    ConnectionDeadline(PublicListener listener) {
        this.listener = listener;
    }

    /**
     * First in the pipeline, ahead of TLS: admits the connection under the cap (or closes it at once)
     * and, with TLS and {@code timed}, starts the handshake's deadline; counts the connection out when it closes.
     */
    ChannelInboundHandlerAdapter admission(boolean timed) {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                if (!listener.admit()) {
                    listener.refuse("connection_limit");
                    ctx.close();
                    return;
                }
                admitted = true;
                if (timed && ctx.pipeline().get(NettyPipeline.SslHandler) != null) {
                    arm(ctx.channel(), Phase.HANDSHAKE, listener.settings().handshakeTimeout());
                }
                ctx.fireChannelActive();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                disarm(phase);
                if (admitted) {
                    admitted = false;
                    listener.leave();
                    ctx.fireChannelInactive();
                }
            }
        };
    }

    /** Before the HTTP decoder: the first byte of a request after a kept-alive pause starts its deadline. */
    ChannelInboundHandlerAdapter bytesSeen() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (phase == Phase.KEPT_ALIVE) {
                    arm(ctx.channel(), Phase.NEXT_REQUEST, listener.settings().requestTimeout());
                }
                ctx.fireChannelRead(msg);
            }
        };
    }

    /** After the TLS handshake (Reactor Netty's TLS handlers hold this event back until then), or at once without TLS. */
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        arm(ctx.channel(), Phase.FIRST_REQUEST, listener.settings().requestTimeout());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (phase != Phase.UPGRADED && msg instanceof HttpObject http) {
            if (http.decoderResult().cause() instanceof PrematureChannelClosureException) {
                ReferenceCountUtil.release(msg); // closed half-way through a request: there is no one to answer
                return;
            }
            if (msg instanceof HttpRequest) {
                inRequest = true;
                if (phase == Phase.KEPT_ALIVE) {
                    arm(ctx.channel(), Phase.NEXT_REQUEST, listener.settings().requestTimeout());
                }
            }
            if (msg instanceof LastHttpContent) {
                inRequest = false;
                requests++;
                if (responses >= requests) {
                    keepAlive(ctx.channel()); // answered before its body was read (a refusal)
                } else {
                    disarm(Phase.ANSWERING);
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (phase != Phase.UPGRADED) {
            if (msg instanceof HttpResponse response
                    && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                if (response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                    disarm(Phase.UPGRADED);
                    ctx.channel().attr(PublicListener.UPGRADED).set(Boolean.TRUE);
                }
            } else if (msg instanceof LastHttpContent) {
                responses++;
                if (!inRequest && responses >= requests) {
                    keepAlive(ctx.channel());
                }
            }
        }
        ctx.write(msg, promise);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException && phase != Phase.ANSWERING && phase != Phase.UPGRADED) {
            ctx.close(); // a reset or broken TLS of a connection that is owed no answer: nothing to tell anyone
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private void keepAlive(Channel channel) {
        arm(channel, Phase.KEPT_ALIVE, listener.settings().keepAliveTimeout());
    }

    private void arm(Channel channel, Phase next, Duration timeout) {
        disarm(next);
        timer = channel.eventLoop().schedule(() -> expire(channel, next), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void disarm(Phase next) {
        phase = next;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void expire(Channel channel, Phase expected) {
        if (phase != expected || !channel.isActive()) {
            return;
        }
        switch (expected) {
            case HANDSHAKE -> listener.refuse("handshake_timeout");
            case FIRST_REQUEST, NEXT_REQUEST -> listener.refuse("idle_timeout");
            default -> {
                // a kept-alive connection that went quiet: closed, not refused
            }
        }
        channel.close();
    }
}
