package dev.hydrant.metron.egress;

import dev.hydrant.plumbing.discovery.DopplerAddress;
import dev.hydrant.plumbing.tls.TlsFiles;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where and how the agent forwards: the Dopplers, how they are reached and how envelopes leave.
 *
 * @param dopplers        the configured Dopplers; a name resolving to many addresses is many Dopplers.
 *                        With {@code zoneDopplers}, those outside the agent's zone
 * @param resolveInterval how often the names are resolved again
 * @param serverName      the name a Doppler's certificate must carry
 * @param tls             the agent's certificate, presented to Dopplers, and the CA theirs must chain to
 * @param tlsPrefix       the settings prefix of {@code tls}, named in errors about the files
 * @param egress          batching and streams
 * @param shutdownGrace   how long a stopping agent keeps forwarding what it holds
 * @param zone            the agent's availability zone; empty when it has none
 * @param zoneDopplers    the Dopplers of the agent's zone, preferred: while one of them is reachable the others
 *                        get nothing; empty when the agent has no zone (all Dopplers alike)
 */
public record DopplerPoolSettings(List<DopplerAddress> dopplers, Duration resolveInterval, String serverName,
                                  TlsFiles tls, String tlsPrefix, EgressSettings egress, Duration shutdownGrace,
                                  String zone, List<DopplerAddress> zoneDopplers) {

    public DopplerPoolSettings {
        dopplers = List.copyOf(dopplers);
        Objects.requireNonNull(resolveInterval, "resolveInterval");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(tlsPrefix, "tlsPrefix");
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        zone = zone == null ? "" : zone;
        zoneDopplers = List.copyOf(zoneDopplers);
    }

    /** Settings of an agent with no zone: all Dopplers alike. */
    public DopplerPoolSettings(List<DopplerAddress> dopplers, Duration resolveInterval, String serverName,
                               TlsFiles tls, String tlsPrefix, EgressSettings egress, Duration shutdownGrace) {
        this(dopplers, resolveInterval, serverName, tls, tlsPrefix, egress, shutdownGrace, "", List.of());
    }

    /** Whether the agent prefers the Dopplers of its zone. */
    public boolean zoned() {
        return !zoneDopplers.isEmpty();
    }
}
