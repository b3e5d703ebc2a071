package dev.hydrant.plumbing.discovery;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Resolves a host name to all its addresses: DNS outside tests, a fixed answer in them. */
@FunctionalInterface
public interface NameLookup {

    /** The system resolver, {@link InetAddress#getAllByName}. */
    NameLookup SYSTEM = InetAddress::getAllByName;

    /** Every address {@code host} resolves to now; an IP literal resolves to itself. */
    InetAddress[] lookup(String host) throws UnknownHostException;
}
