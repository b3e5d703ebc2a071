package dev.hydrant.trafficcontroller.drains;

import dev.hydrant.plumbing.config.InvalidSettingException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where drains may point: not into a blocked range (internal networks), unless the address is also in an
 * allowed range. A host name is resolved and every address it resolves to is checked, so that a name for an
 * internal address is refused too (nozzles/syslog checks again at every connect).
 */
public final class AddressPolicy {

    private final List<AddressRange> blocked;
    private final List<AddressRange> allowed;

    public AddressPolicy(List<AddressRange> blocked, List<AddressRange> allowed) {
        this.blocked = List.copyOf(blocked);
        this.allowed = List.copyOf(allowed);
    }

    /** From the settings; a range that does not parse stops start-up naming its setting. */
    public static AddressPolicy of(DrainSettings settings) {
        return new AddressPolicy(ranges(settings.blockedRanges(), DrainSettings.PREFIX + ".blocked-ranges"),
                ranges(settings.allowedRanges(), DrainSettings.PREFIX + ".allowed-ranges"));
    }

    private static List<AddressRange> ranges(List<String> texts, String setting) {
        List<AddressRange> ranges = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            try {
                ranges.add(AddressRange.parse(texts.get(i)));
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(setting + "[" + i + "]", e.getMessage());
            }
        }
        return ranges;
    }

    /** The blocked range {@code address} lies in, unless an allowed range takes it out. */
    public Optional<AddressRange> blockedRange(InetAddress address) {
        if (allowed.stream().anyMatch(range -> range.contains(address))) {
            return Optional.empty();
        }
        return blocked.stream().filter(range -> range.contains(address)).findFirst();
    }

    /**
     * Resolves {@code host} (blocking: call it off the event loops) and refuses it when it does not resolve or
     * when any address it resolves to is blocked.
     */
    public void check(String host) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw DrainRefusal.invalidUrl("the drain's host '" + host + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<AddressRange> range = blockedRange(address);
            if (range.isPresent()) {
                throw DrainRefusal.blocked("the drain's host '" + host + "' resolves to " + address.getHostAddress()
                        + ", inside the blocked range " + range.get()
                        + " (" + DrainSettings.PREFIX + ".blocked-ranges)");
            }
        }
    }
}
