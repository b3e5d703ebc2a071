package dev.hydrant.metron.egress;

import dev.hydrant.plumbing.discovery.DopplerAddress;
import dev.hydrant.plumbing.tls.TlsFiles;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where and how the agent forwards: the Dopplers, how they are reached and how envelopes leave.
 *
 * @param dopplers        the configured Dopplers; a name resolving to many addresses is many Dopplers
 * @param resolveInterval how often the names are resolved again
 * @param serverName      the name a Doppler's certificate must carry
 * @param tls             the agent's certificate, presented to Dopplers, and the CA theirs must chain to
 * @param tlsPrefix       the settings prefix of {@code tls}, named in errors about the files
 * @param egress          batching and streams
 * @param shutdownGrace   how long a stopping agent keeps forwarding what it holds
 */
public record DopplerPoolSettings(List<DopplerAddress> dopplers, Duration resolveInterval, String serverName,
                                  TlsFiles tls, String tlsPrefix, EgressSettings egress, Duration shutdownGrace) {

    public DopplerPoolSettings {
        dopplers = List.copyOf(dopplers);
        Objects.requireNonNull(resolveInterval, "resolveInterval");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(tlsPrefix, "tlsPrefix");
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    }
}
