package dev.hydrant.trafficcontroller.drains;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Objects;

/**
 * One CIDR range, IPv4 or IPv6 ({@code 10.0.0.0/8}, {@code fc00::/7}); an address without a prefix is a range
 * of one address.
 */
public record AddressRange(String text, byte[] network, int prefix) {

    public AddressRange {
        Objects.requireNonNull(text, "text");
        network = network.clone();
    }

    /** Parses {@code address/prefix}; throws IllegalArgumentException saying what is wrong. */
    public static AddressRange parse(String cidr) {
        String text = Objects.requireNonNull(cidr, "cidr").trim();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (!address.matches("[0-9a-fA-F:.]+") || !address.contains(".") && !address.contains(":")) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address range (CIDR, e.g. 10.0.0.0/8)");
        }
        byte[] network;
        try {
            network = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address range (CIDR, e.g. 10.0.0.0/8)");
        }
        int bits = network.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            prefix = -1;
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + bits);
        }
        return new AddressRange(text, network, prefix);
    }

    /** Whether {@code address} (of the same family) lies in this range. */
    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (bytes.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (bytes[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (bytes[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AddressRange range && prefix == range.prefix && Arrays.equals(network, range.network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        return text;
    }
}
