package dev.hydrant.nozzles.syslog.drain;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

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
    private final Resolver resolver;

    /** @throws IllegalArgumentException naming a range that is not address/prefix */
    public AddressPolicy(List<String> blocked, List<String> allowed) {
        this(blocked, allowed, InetAddress::getAllByName);
    }

    /**
     * @param resolver how a host name becomes addresses (the system's resolver; tests give their own)
     * @throws IllegalArgumentException naming a range that is not address/prefix
     */
    public AddressPolicy(List<String> blocked, List<String> allowed, Resolver resolver) {
        this.blocked = blocked.stream().map(Cidr::parse).toList();
        this.allowed = allowed.stream().map(Cidr::parse).toList();
        this.resolver = Objects.requireNonNull(resolver, "resolver");
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

    /**
     * Resolves {@code host} now and returns its first permitted address, the one to connect to: a writer
     * connects to this very address, never to the name again, so what was checked is what is connected.
     */
    public InetAddress resolve(String host) throws IOException {
        InetAddress[] addresses = resolver.resolve(host);
        for (InetAddress address : addresses) {
            if (permits(address)) {
                return address;
            }
        }
        throw new BlockedAddressException(host + " resolves only into blocked ranges");
    }

    /** Turns a host name (or an address literal) into its addresses. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The drain's host resolved into a blocked range. */
    public static final class BlockedAddressException extends IOException {
        BlockedAddressException(String message) {
            super(message);
        }
    }
}
