package dev.hydrant.trafficcontroller.fanin;

import dev.hydrant.plumbing.discovery.DopplerAddress;
import dev.hydrant.plumbing.discovery.DopplerDiscovery;
import dev.hydrant.plumbing.discovery.DopplerResolver;
import dev.hydrant.plumbing.discovery.NameLookup;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.TlsFiles;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Doppler the Traffic Controller fans in from, one mutual-TLS channel each. The configured
 * names are resolved again every interval ({@link DopplerDiscovery}); listeners (the open
 * subscriptions) are told about Dopplers that appear and disappear. A Doppler that goes away but
 * stays in DNS keeps its channel, which reconnects by itself.
 */
public final class DopplerPool implements AutoCloseable {

    /** Told when a Doppler appears or disappears. Called on the pool's resolver thread. */
    public interface Listener {
        void added(Doppler doppler);

        void removed(Doppler doppler);
    }

    private static final Logger log = LoggerFactory.getLogger(DopplerPool.class);

    /** The shortest re-resolution interval used, whatever is configured. */
    private static final Duration MIN_RESOLVE_INTERVAL = Duration.ofMillis(100);

    private final DopplerDiscovery discovery;
    private final String serverName;
    private final TlsFiles tls;
    private final String tlsPrefix;
    private final Map<InetSocketAddress, Doppler> dopplers = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param dopplers   host:port entries (an IPv6 address in brackets)
     * @param setting    the setting they come from, named in errors
     * @param tlsPrefix  the TLS settings prefix, named in errors
     * @throws dev.hydrant.plumbing.config.InvalidSettingException naming {@code setting} for an entry
     *         that is not host:port
     */
    public DopplerPool(List<String> dopplers, String setting, String serverName, TlsFiles tls, String tlsPrefix) {
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.tls = tls.validate(tlsPrefix);
        this.tlsPrefix = tlsPrefix;
        this.discovery = new DopplerDiscovery(DopplerResolver.of(dopplers, setting, NameLookup.SYSTEM),
                new DiscoveryListener(), "doppler-resolver");
    }

    /** Resolves now (blocking), then again every {@code interval}. */
    public void start(Duration interval) {
        discovery.start(interval.compareTo(MIN_RESOLVE_INTERVAL) < 0 ? MIN_RESOLVE_INTERVAL : interval);
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

    /** Opens a channel to each Doppler that appears and closes the channel of each that vanishes. */
    private final class DiscoveryListener implements DopplerDiscovery.Listener {

        @Override
        public void added(InetSocketAddress address) {
            Doppler doppler = new Doppler(address,
                    GrpcTransport.channel(address, serverName, tls, tlsPrefix).build());
            dopplers.put(address, doppler);
            log.info("Fanning in from Doppler {}", DopplerAddress.of(address));
            listeners.forEach(l -> tell(l, doppler, true));
        }

        @Override
        public void removed(InetSocketAddress address) {
            Doppler doppler = dopplers.remove(address);
            if (doppler == null) {
                return;
            }
            log.info("Doppler {} no longer resolves; dropping it", DopplerAddress.of(address));
            listeners.forEach(l -> tell(l, doppler, false));
            GrpcTransport.shutdown(doppler.channel(), 1000);
        }
    }

    /** One listener's failure neither keeps the others from hearing nor undoes the change. */
    private static void tell(Listener listener, Doppler doppler, boolean added) {
        try {
            if (added) {
                listener.added(doppler);
            } else {
                listener.removed(doppler);
            }
        } catch (RuntimeException e) {
            log.warn("a fan-in listener failed on Doppler {}", DopplerAddress.of(doppler.address()), e);
        }
    }

    @Override
    public void close() {
        discovery.close();
        for (Doppler doppler : dopplers.values()) {
            GrpcTransport.shutdown(doppler.channel(), 1000);
        }
        dopplers.clear();
    }
}
