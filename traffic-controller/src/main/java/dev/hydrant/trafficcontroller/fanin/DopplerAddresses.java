package dev.hydrant.trafficcontroller.fanin;

import dev.hydrant.plumbing.config.InvalidSettingException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configured Doppler entries (host:port) and what they resolve to. A DNS name that
 * resolves to many hosts stands for all of them; a name that cannot be resolved right now keeps
 * the addresses it had, so a DNS hiccup does not disconnect anyone.
 */
final class DopplerAddresses {

    private record Entry(String host, int port) {
    }

    private final List<Entry> entries;
    private final Map<Entry, Set<InetSocketAddress>> lastKnown = new HashMap<>();

    /** @throws InvalidSettingException naming {@code setting} when an entry is not host:port */
    DopplerAddresses(List<String> dopplers, String setting) {
        this.entries = dopplers.stream().map(d -> parse(d, setting)).toList();
    }

    private static Entry parse(String value, String setting) {
        String trimmed = value.trim();
        int colon = trimmed.lastIndexOf(':');
        if (colon <= 0 || colon == trimmed.length() - 1) {
            throw new InvalidSettingException(setting, "'" + value + "' is not host:port");
        }
        String host = trimmed.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(trimmed.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new InvalidSettingException(setting, "'" + value + "' has a port outside 1..65535");
            }
            return new Entry(host, port);
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(setting, "'" + value + "' has no numeric port");
        }
    }

    /** Resolves every entry now; blocking, call it off the event loops. */
    synchronized Set<InetSocketAddress> resolve() {
        Set<InetSocketAddress> all = new LinkedHashSet<>();
        for (Entry entry : entries) {
            try {
                Set<InetSocketAddress> addresses = new LinkedHashSet<>();
                for (InetAddress address : InetAddress.getAllByName(entry.host())) {
                    addresses.add(new InetSocketAddress(address, entry.port()));
                }
                lastKnown.put(entry, addresses);
            } catch (UnknownHostException e) {
                // keep what this name resolved to before
            }
            all.addAll(lastKnown.getOrDefault(entry, Set.of()));
        }
        return all;
    }
}
