package dev.hydrant.plumbing.discovery;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the configured Dopplers resolve to now. A name that resolves to many addresses stands for
 * one Doppler per address; a name that cannot be resolved at the moment keeps the addresses it
 * last resolved to, so that a DNS hiccup disconnects nobody (a name that never resolved stands for
 * none, and is tried again on the next call).
 */
public final class DopplerResolver {

    private static final Logger log = LoggerFactory.getLogger(DopplerResolver.class);

    private final List<DopplerAddress> dopplers;
    private final NameLookup lookup;
    private final Map<DopplerAddress, Set<InetSocketAddress>> lastKnown = new HashMap<>();

    public DopplerResolver(List<DopplerAddress> dopplers, NameLookup lookup) {
        this.dopplers = List.copyOf(dopplers);
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /**
     * Parses every entry of a {@code dopplers} setting ({@link DopplerAddress#parse}).
     *
     * @throws dev.hydrant.plumbing.config.InvalidSettingException naming {@code setting} for the
     *         first entry that does not follow the rule
     */
    public static DopplerResolver of(List<String> entries, String setting, NameLookup lookup) {
        return new DopplerResolver(entries.stream().map(entry -> DopplerAddress.parse(entry, setting)).toList(), lookup);
    }

    /** The configured Dopplers, as parsed. */
    public List<DopplerAddress> dopplers() {
        return dopplers;
    }

    /**
     * Resolves every configured Doppler now: blocking, call it off event loops.
     *
     * @return every address, in the order of the entries and of the resolver's answers, without repeats
     */
    public synchronized Set<InetSocketAddress> resolve() {
        Set<InetSocketAddress> all = new LinkedHashSet<>();
        for (DopplerAddress doppler : dopplers) {
            try {
                Set<InetSocketAddress> addresses = new LinkedHashSet<>();
                for (InetAddress address : lookup.lookup(doppler.host())) {
                    addresses.add(new InetSocketAddress(address, doppler.port()));
                }
                lastKnown.put(doppler, addresses);
            } catch (UnknownHostException e) {
                log.warn("cannot resolve Doppler {}; keeping its last known addresses {}", doppler,
                        lastKnown.getOrDefault(doppler, Set.of()).stream().map(DopplerAddress::of).toList());
            }
            all.addAll(lastKnown.getOrDefault(doppler, Set.of()));
        }
        return all;
    }
}
