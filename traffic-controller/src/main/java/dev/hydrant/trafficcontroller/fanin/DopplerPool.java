package dev.hydrant.trafficcontroller.fanin;

import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetAddress;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Doppler the Traffic Controller fans in from, one mutual-TLS channel each. The configured
 * names are resolved again every interval; listeners (the open subscriptions) are told about
 * Dopplers that appear and disappear. A Doppler that goes away but stays in DNS keeps its
 * channel, which reconnects by itself.
 */
public final class DopplerPool implements AutoCloseable {

    /** Told when a Doppler appears or disappears. Called on the pool's resolver thread. */
    public interface Listener {
        void added(Doppler doppler);

        void removed(Doppler doppler);
    }

    private static final Logger log = LoggerFactory.getLogger(DopplerPool.class);

    private final DopplerAddresses addresses;
    private final String serverName;
    private final TlsFiles tls;
    private final String tlsPrefix;
    private final Map<InetSocketAddress, Doppler> dopplers = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService resolver;

    /**
     * @param dopplers   host:port entries
     * @param setting    the setting they come from, named in errors
     * @param tlsPrefix  the TLS settings prefix, named in errors
     */
    public DopplerPool(List<String> dopplers, String setting, String serverName, TlsFiles tls, String tlsPrefix) {
        this.addresses = new DopplerAddresses(dopplers, setting);
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.tls = tls.validate(tlsPrefix);
        this.tlsPrefix = tlsPrefix;
        this.resolver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "doppler-resolver");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Resolves now (blocking), then again every {@code interval}. */
    public void start(Duration interval) {
        refresh();
        long millis = Math.max(100, interval.toMillis());
        resolver.scheduleWithFixedDelay(this::refresh, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** The Dopplers known now. */
    public Collection<Doppler> dopplers() {
        return List.copyOf(dopplers.values());
    }

    /** Registers a listener and returns the Dopplers known at that moment. */
    public Collection<Doppler> listen(Listener listener) {
        listeners.add(listener);
        return dopplers();
    }

    public void unlisten(Listener listener) {
        listeners.remove(listener);
    }

    private void refresh() {
        try {
            Set<InetSocketAddress> current = addresses.resolve();
            for (InetSocketAddress address : current) {
                if (!dopplers.containsKey(address)) {
                    Doppler doppler = new Doppler(address, open(address));
                    dopplers.put(address, doppler);
                    log.info("Fanning in from Doppler {}", address);
                    listeners.forEach(l -> l.added(doppler));
                }
            }
            for (Doppler doppler : new ArrayList<>(dopplers.values())) {
                if (!current.contains(doppler.address())) {
                    dopplers.remove(doppler.address());
                    log.info("Doppler {} no longer resolves; dropping it", doppler.address());
                    listeners.forEach(l -> l.removed(doppler));
                    GrpcTransport.shutdown(doppler.channel(), 1000);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Resolving the Dopplers failed; keeping the current set", e);
        }
    }

    private ManagedChannel open(InetSocketAddress address) {
        NettyChannelBuilder builder = GrpcTransport.channel(target(address), serverName, tls, tlsPrefix);
        return builder.build();
    }

    private static String target(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        String host = ip instanceof Inet6Address ? "[" + ip.getHostAddress() + "]" : ip.getHostAddress();
        return host + ":" + address.getPort();
    }

    @Override
    public void close() {
        resolver.shutdownNow();
        for (Doppler doppler : dopplers.values()) {
            GrpcTransport.shutdown(doppler.channel(), 1000);
        }
        dopplers.clear();
    }
}
