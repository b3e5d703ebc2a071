package dev.hydrant.metron.egress;

import dev.hydrant.plumbing.buffer.DropOldestBuffer;
import dev.hydrant.plumbing.grpc.GrpcTransport;
import dev.hydrant.plumbing.tls.TlsFiles;
import io.micrometer.core.instrument.Counter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The Dopplers this agent forwards to. Each configured {@code host:port} is resolved, and every
 * address it resolves to is one Doppler with its own mTLS channel and stream workers; the names
 * are resolved again every {@code resolveInterval}, so Dopplers that appear are used and those
 * that vanish are left (an unresolvable name keeps its last known addresses).
 *
 * <p>All workers drain the one shared buffer, in turn and each only while its stream is writable:
 * that is the load spreading (a slow Doppler's stream stops being writable and it is skipped). On {@link #stop()} the workers flush what is buffered for at most the
 * grace period and wait for their streams' confirmations; whatever is still buffered after it
 * is counted as {@code dropped{direction=egress}}.
 */
public final class DopplerPool implements SmartLifecycle {

    /** Lifecycle phase: started before the ingress server and stopped after it. */
    public static final int PHASE = 0;

    private static final Logger log = LoggerFactory.getLogger(DopplerPool.class);

    /** Resolves a host name to all its addresses; {@code InetAddress::getAllByName} outside tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<DopplerAddress> dopplers;
    private final Resolver resolver;
    private final Duration resolveInterval;
    private final String serverName;
    private final TlsFiles tls;
    private final String tlsPrefix;
    private final DropOldestBuffer<Envelope> buffer;
    private final EgressSettings settings;
    private final Counter egress;
    private final Counter dropped;
    private final Duration shutdownGrace;
    private final Map<DopplerAddress, Set<String>> lastResolved = new HashMap<>();
    private final Map<String, DopplerConnection> connections = new ConcurrentHashMap<>();
    /** Workers take batches in turn (a fair lock, taken once per batch): that spreads the load. */
    private final ReentrantLock turn = new ReentrantLock(true);
    private ScheduledExecutorService scheduler;
    private volatile boolean running;

    /**
     * @param serverName the name a Doppler's certificate must carry
     * @param egress     counted up by the envelopes a Doppler confirmed
     * @param dropped    counted up by the envelopes lost on the way out ({@code direction=egress})
     */
    public DopplerPool(List<DopplerAddress> dopplers, Resolver resolver, Duration resolveInterval, String serverName,
                       TlsFiles tls, String tlsPrefix, DropOldestBuffer<Envelope> buffer, EgressSettings settings,
                       Counter egress, Counter dropped, Duration shutdownGrace) {
        this.dopplers = List.copyOf(dopplers);
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.resolveInterval = Objects.requireNonNull(resolveInterval, "resolveInterval");
        this.serverName = Objects.requireNonNull(serverName, "serverName");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.tlsPrefix = Objects.requireNonNull(tlsPrefix, "tlsPrefix");
        this.buffer = Objects.requireNonNull(buffer, "buffer");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.egress = Objects.requireNonNull(egress, "egress");
        this.dropped = Objects.requireNonNull(dropped, "dropped");
        this.shutdownGrace = Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        resolve();
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "metron-doppler-resolver");
            thread.setDaemon(true);
            return thread;
        });
        long millis = resolveInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::resolveSafely, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        long started = System.nanoTime();
        scheduler.shutdownNow();
        long grace = shutdownGrace.toNanos();
        long deadline = System.nanoTime() + grace + TimeUnit.MILLISECONDS.toNanos(500);
        List<DopplerConnection> all = new ArrayList<>(connections.values());
        all.forEach(connection -> connection.beginStop(grace, grace));
        all.forEach(connection -> connection.finishStop(deadline));
        connections.clear();
        log.info("metron egress stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        List<Envelope> left = new ArrayList<>();
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

    /** The Doppler addresses in use now, as {@code ip:port}. */
    public Set<String> targets() {
        return Set.copyOf(connections.keySet());
    }

    private void resolveSafely() {
        try {
            resolve();
        } catch (RuntimeException e) {
            log.warn("could not refresh the Doppler addresses", e);
        }
    }

    private synchronized void resolve() {
        if (!running) {
            return;
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (DopplerAddress doppler : dopplers) {
            try {
                Set<String> targets = new LinkedHashSet<>();
                for (InetAddress address : resolver.resolve(doppler.host())) {
                    targets.add(target(address, doppler.port()));
                }
                lastResolved.put(doppler, targets);
            } catch (UnknownHostException e) {
                log.warn("cannot resolve Doppler {}; keeping its last known addresses {}",
                        doppler, lastResolved.getOrDefault(doppler, Set.of()));
            }
            wanted.addAll(lastResolved.getOrDefault(doppler, Set.of()));
        }
        for (String target : wanted) {
            connections.computeIfAbsent(target, this::connect);
        }
        for (String target : List.copyOf(connections.keySet())) {
            if (!wanted.contains(target)) {
                // its workers take nothing more (the others carry on) but wait for their confirmations
                log.info("Doppler {} no longer resolved; leaving it", target);
                DopplerConnection gone = connections.get(target);
                long settle = TimeUnit.SECONDS.toNanos(1);
                gone.beginStop(0, settle);
                gone.finishStop(System.nanoTime() + settle + TimeUnit.MILLISECONDS.toNanos(200));
                connections.remove(target);
            }
        }
    }

    private DopplerConnection connect(String target) {
        log.info("forwarding to Doppler {} (server name {})", target, serverName);
        DopplerConnection connection = new DopplerConnection(target,
                GrpcTransport.channel(target, serverName, tls, tlsPrefix).build(), buffer, settings, egress, dropped, turn);
        connection.start();
        return connection;
    }

    private static String target(InetAddress address, int port) {
        String ip = address.getHostAddress();
        if (address instanceof Inet6Address) {
            int scope = ip.indexOf('%');
            return "[" + (scope < 0 ? ip : ip.substring(0, scope)) + "]:" + port;
        }
        return ip + ":" + port;
    }
}
