package dev.hydrant.metron.ingress;

import dev.hydrant.api.convert.V1Conversion;
import dev.hydrant.plumbing.config.InvalidSettingException;
import io.micrometer.core.instrument.Counter;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.netty.Connection;
import reactor.netty.udp.UdpServer;

/**
 * The legacy v1 ingress (docs/wire.md section 3): one marshalled dropsonde Envelope per UDP datagram of up
 * to 65,535 bytes, no handshake, on {@code host:port} (localhost only by default, as UDP has no
 * authentication). Each envelope is converted to v2 and handed to the {@link IngressService} exactly
 * as a gRPC one: tagged, counted as {@code ingress} and offered to the drop-oldest buffer. A datagram
 * that is not a v1 envelope with a v2 form is counted as {@code udp.malformed} and skipped.
 */
public final class UdpIngress implements SmartLifecycle {

    /** Largest datagram read whole: the largest a UDP datagram can be. */
    static final int MAX_DATAGRAM_BYTES = 65_535;

    private static final Logger log = LoggerFactory.getLogger(UdpIngress.class);
    private static final int SOCKET_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

    private final String host;
    private final int port;
    private final String portSetting;
    private final IngressService ingress;
    private final Counter malformed;
    private volatile Connection connection;

    /**
     * @param port        0 picks a free port, see {@link #port()}
     * @param portSetting the setting named when the port cannot be bound
     * @param malformed   counts datagrams that are not a convertible v1 envelope
     */
    public UdpIngress(String host, int port, String portSetting, IngressService ingress, Counter malformed) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.portSetting = Objects.requireNonNull(portSetting, "portSetting");
        this.ingress = Objects.requireNonNull(ingress, "ingress");
        this.malformed = Objects.requireNonNull(malformed, "malformed");
    }

    @Override
    public synchronized void start() {
        if (connection != null) {
            return;
        }
        try {
            connection = UdpServer.create()
                    .host(host)
                    .port(port)
                    .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES))
                    .option(ChannelOption.SO_RCVBUF, SOCKET_RECEIVE_BUFFER_BYTES)
                    .handle((in, out) -> in.receiveObject()
                            .doOnNext(message -> {
                                if (message instanceof DatagramPacket datagram) {
                                    receive(ByteBufUtil.getBytes(datagram.content()));
                                }
                            })
                            .then())
                    .bindNow(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            throw new InvalidSettingException(portSetting, "cannot listen for UDP on " + host + ":" + port, e);
        }
        log.info("metron v1 UDP ingress listening on {}:{}", host, port());
    }

    /** One datagram: a v1 envelope, converted and accepted, or counted as malformed. */
    void receive(byte[] datagram) {
        Optional<Envelope> v2;
        try {
            v2 = V1Conversion.toV2(EventFactory.Envelope.parseFrom(datagram));
        } catch (Exception e) {
            v2 = Optional.empty();
        }
        if (v2.isPresent()) {
            ingress.accept(List.of(v2.get()));
        } else {
            malformed.increment();
        }
    }

    @Override
    public synchronized void stop() {
        Connection running = connection;
        if (running != null) {
            running.disposeNow(Duration.ofSeconds(2));
            connection = null;
        }
    }

    @Override
    public boolean isRunning() {
        return connection != null;
    }

    @Override
    public int getPhase() {
        return IngressServer.PHASE;
    }

    /** The port listened on; useful when configured as 0. */
    public int port() {
        Connection running = connection;
        if (running == null) {
            throw new IllegalStateException("UDP ingress is not running");
        }
        return ((InetSocketAddress) running.address()).getPort();
    }
}
