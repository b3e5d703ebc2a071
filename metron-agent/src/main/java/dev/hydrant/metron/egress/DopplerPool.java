package dev.hydrant.metron.egress;

import dev.hydrant.api.wire.EncodedEnvelope;
import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import dev.hydrant.plumbing.discovery.DopplerAddress;
import dev.hydrant.plumbing.discovery.DopplerDiscovery;
import dev.hydrant.plumbing.discovery.DopplerResolver;
import dev.hydrant.plumbing.discovery.NameLookup;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import io.micrometer.core.instrument.Counter;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The Dopplers this agent forwards to. Each configured {@code host:port} is resolved, and every
 * address it resolves to is one Doppler with its own mTLS channel and stream workers; the names
 * are resolved again every {@code resolveInterval} ({@link DopplerDiscovery}), so Dopplers that
 * appear are used and those that vanish are left (an unresolvable name keeps its last known addresses).
 *
 * <p>All workers drain the one shared buffer, in turn and each only while its stream is writable:
 * that is the load spreading (a slow Doppler's stream stops being writable and it is skipped). On
 * {@link #stop()} the workers flush what is buffered for at most the grace period and wait for their
 * streams' confirmations; whatever is still buffered after it is counted as {@code dropped{direction=egress}}.
 *
 * <p>An agent with a zone ({@link DopplerPoolSettings#zoned()}) resolves its zone's Dopplers apart from the
 * others. The others' workers take their turns through a {@link ZoneTurn}: only while no Doppler of the
 * zone has a stream established. So while any of the zone's is reachable all traffic goes there, when none
 * is it goes to the others, and it returns to the zone when one of its Dopplers is back.
 */
public final class DopplerPool implements SmartLifecycle {

    /** Lifecycle phase: started before the ingress server and stopped after it. */
    public static final int PHASE = 0;

    private static final Logger log = LoggerFactory.getLogger(DopplerPool.class);

    private final DopplerPoolSettings settings;
    private final NameLookup lookup;
    private final DropOldestBuffer<EncodedEnvelope> buffer;
    private final Counter egress;
    private final Counter dropped;
    private final Departures departures;
    private final Map<InetSocketAddress, DopplerConnection> connections = new ConcurrentHashMap<>();
    /** Workers take batches in turn (a fair lock, taken once per batch): that spreads the load. */
    private final ReentrantLock turn = new ReentrantLock(true);
    /** The connections to the Dopplers of the agent's zone (also in {@link #connections}). */
    private final Map<InetSocketAddress, DopplerConnection> zone = new ConcurrentHashMap<>();
    /** The turn of the Dopplers outside the zone: {@link #turn} itself when the agent has no zone. */
    private final Lock othersTurn;
    private DopplerDiscovery discovery;
    private DopplerDiscovery zoneDiscovery;
    private volatile boolean running;

    /**
     * @param lookup  resolves the Doppler names; {@link NameLookup#SYSTEM} outside tests
     * @param buffer  the agent's one buffer, drained by every worker
     * @param egress  counted up by the envelopes a Doppler confirmed
     * @param dropped counted up by the envelopes lost on the way out ({@code direction=egress})
     */
    public DopplerPool(DopplerPoolSettings settings, NameLookup lookup, DropOldestBuffer<EncodedEnvelope> buffer,
                       Counter egress, Counter dropped) {
        this(settings, lookup, buffer, egress, dropped, new Departures(buffer));
    }

    /**
     * As {@link #DopplerPool(DopplerPoolSettings, NameLookup, DropOldestBuffer, Counter, Counter)}, telling
     * {@code departures} what leaves the agent.
     *
     * @param departures the books of {@code buffer}'s envelopes as they leave, settled by this pool's streams
     */
    public DopplerPool(DopplerPoolSettings settings, NameLookup lookup, DropOldestBuffer<EncodedEnvelope> buffer,
                       Counter egress, Counter dropped, Departures departures) {
        this.departures = Objects.requireNonNull(departures, "departures");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.buffer = Objects.requireNonNull(buffer, "buffer");
        this.egress = Objects.requireNonNull(egress, "egress");
        this.dropped = Objects.requireNonNull(dropped, "dropped");
        this.othersTurn = settings.zoned() ? new ZoneTurn(turn, this::zoneReachable, settings.zone()) : turn;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        if (settings.zoned()) {
            zoneDiscovery = new DopplerDiscovery(new DopplerResolver(settings.zoneDopplers(), lookup),
                    new DiscoveryListener(true), "metron-doppler-resolver-zone");
            zoneDiscovery.start(settings.resolveInterval());
        }
        discovery = new DopplerDiscovery(new DopplerResolver(settings.dopplers(), lookup), new DiscoveryListener(false),
                "metron-doppler-resolver");
        discovery.start(settings.resolveInterval());
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        long started = System.nanoTime();
        discovery.close(); // waits for a resolution under way: no Doppler is added after this
        if (zoneDiscovery != null) {
            zoneDiscovery.close();
        }
        long grace = settings.shutdownGrace().toNanos();
        long deadline = System.nanoTime() + grace + TimeUnit.MILLISECONDS.toNanos(500);
        List<DopplerConnection> all = new ArrayList<>(connections.values());
        all.forEach(connection -> connection.beginStop(grace, grace));
        all.forEach(connection -> connection.finishStop(deadline));
        connections.clear();
        zone.clear();
        log.info("metron egress stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        List<EncodedEnvelope> left = new ArrayList<>();
        buffer.drainTo(left, Integer.MAX_VALUE);
        if (!left.isEmpty()) {
            dropped.increment(left.size());
            log.warn("metron stopped with {} envelopes not forwarded (counted as dropped, direction egress)", left.size());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Streams to Dopplers established now. */
    public int connectedStreams() {
        int n = 0;
        for (DopplerConnection connection : connections.values()) {
            n += connection.connectedStreams();
        }
        return n;
    }

    /**
     * Envelopes waiting to leave: those in the buffer and those workers hold in batches still
     * being filled (a worker takes from the buffer in slices while it waits for a full batch).
     */
    public int waiting() {
        int n = buffer.size();
        for (DopplerConnection connection : connections.values()) {
            n += connection.holding();
        }
        return n;
    }

    /** Whether a Doppler of the agent's zone has a stream established now. */
    private boolean zoneReachable() {
        for (DopplerConnection connection : zone.values()) {
            if (connection.connectedStreams() > 0) {
                return true;
            }
        }
        return false;
    }

    /** The Doppler addresses in use now, as {@code ip:port} or {@code [ipv6]:port}. */
    public Set<String> targets() {
        return connections.keySet().stream().map(address -> DopplerAddress.of(address).toString())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Connects to the Dopplers that appear and leaves those that vanish; called on the resolving thread. */
    private final class DiscoveryListener implements DopplerDiscovery.Listener {

        /** Whether it discovers the Dopplers of the agent's zone. */
        private final boolean inZone;

        DiscoveryListener(boolean inZone) {
            this.inZone = inZone;
        }

        @Override
        public void added(InetSocketAddress address) {
            DopplerConnection connection = connections.computeIfAbsent(address, a -> connect(a, inZone));
            if (inZone) {
                zone.put(address, connection);
            }
        }

        @Override
        public void removed(InetSocketAddress address) {
            DopplerConnection gone = connections.get(address);
            if (gone == null) {
                return;
            }
            // its workers take nothing more (the others carry on) but wait for their confirmations
            log.info("Doppler {} no longer resolved; leaving it", gone.target());
            long settle = TimeUnit.SECONDS.toNanos(1);
            gone.beginStop(0, settle);
            gone.finishStop(System.nanoTime() + settle + TimeUnit.MILLISECONDS.toNanos(200));
            connections.remove(address);
            zone.remove(address);
        }
    }

    private DopplerConnection connect(InetSocketAddress address, boolean inZone) {
        String target = DopplerAddress.of(address).toString();
        String where = !settings.zoned() ? "" : inZone ? ", zone " + settings.zone()
                : ", outside zone " + settings.zone() + ": used while none of the zone is reachable";
        log.info("forwarding to Doppler {} (server name {}{})", target, settings.serverName(), where);
        DopplerConnection connection = new DopplerConnection(target,
                GrpcTransport.channel(address, settings.serverName(), settings.tls(), settings.tlsPrefix()).build(),
                buffer, settings.egress(), egress, dropped, inZone ? turn : othersTurn, departures,
                () -> connectedStreams() > 0);
        connection.start();
        return connection;
    }
}
