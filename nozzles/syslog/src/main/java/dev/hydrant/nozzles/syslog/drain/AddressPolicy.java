package dev.hydrant.nozzles.syslog.drain;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/**
 * Which addresses a drain may connect to: none in a blocked range (loopback, private, link-local by default)
 * unless an allowed range holds it. Asked before every connect, after resolving the drain's host afresh, so a
 * name that later resolves inward is caught.
 */
public final class AddressPolicy {

    /** The bindings API's defaults (docs/wire.md section 7: no drains into internal networks). */
    public static final List<String> DEFAULT_BLOCKED = List.of("127.0.0.0/8", "::1/128", "10.0.0.0/8",
            "172.16.0.0/12", "192.168.0.0/16", "fc00::/7", "169.254.0.0/16", "fe80::/10", "0.0.0.0/8");

    private final List<Cidr> blocked;
    private final List<Cidr> allowed;

    /** @throws IllegalArgumentException naming a range that is not address/prefix */
    public AddressPolicy(List<String> blocked, List<String> allowed) {
        this.blocked = blocked.stream().map(Cidr::parse).toList();
        this.allowed = allowed.stream().map(Cidr::parse).toList();
    }

    public boolean permits(InetAddress address) {
        for (Cidr range : allowed) {
            if (range.contains(address)) {
                return true;
            }
        }
        for (Cidr range : blocked) {
            if (range.contains(address)) {
                return false;
            }
        }
        return true;
    }

    /** Resolves {@code host} now and returns its first permitted address. */
    public InetAddress resolve(String host) throws IOException {
        InetAddress[] addresses = InetAddress.getAllByName(host);
        for (InetAddress address : addresses) {
            if (permits(address)) {
                return address;
            }
        }
        throw new BlockedAddressException(host + " resolves only into blocked ranges");
    }

    /** The drain's host resolved into a blocked range. */
    public static final class BlockedAddressException extends IOException {
        BlockedAddressException(String message) {
            super(message);
        }
    }
}
