package dev.hydrant.trafficcontroller.drains;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the drain bindings API and its database, under {@code hydrant.traffic-controller.drains}.
 *
 * @param dataDir              where the embedded H2 database lives when no {@code jdbc-url} is set
 * @param jdbcUrl              a JDBC URL (PostgreSQL: {@code jdbc:postgresql://host:5432/hydrant}), shared by every
 *                             Traffic Controller behind one load balancer; blank for the embedded H2 file
 * @param username             the database user, with {@code jdbc-url}
 * @param password             its password
 * @param maxConnections       connections to the database at most
 * @param maxDrainsPerSource   bindings one source id may have; one more is refused with 409 drain_limit
 * @param blockedRanges        CIDR ranges a drain's host may not resolve into (loopback, private, link-local)
 * @param allowedRanges        CIDR ranges allowed even inside a blocked one: for tests and local use
 */
@Validated
@ConfigurationProperties(DrainSettings.PREFIX)
public record DrainSettings(
        @DefaultValue(".hydrant/drains") @NotNull Path dataDir,
        String jdbcUrl,
        String username,
        String password,
        @DefaultValue("4") @Min(1) int maxConnections,
        @DefaultValue("5") @Min(1) int maxDrainsPerSource,
        @DefaultValue({"127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7",
                "169.254.0.0/16", "fe80::/10", "0.0.0.0/8"}) @NotNull List<String> blockedRanges,
        @DefaultValue @NotNull List<String> allowedRanges) {

    /** Settings prefix, for error messages. */
    public static final String PREFIX = "hydrant.traffic-controller.drains";

    /** Whether an external database is configured. */
    public boolean external() {
        return jdbcUrl != null && !jdbcUrl.isBlank();
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "DrainSettings[dataDir=" + dataDir + ", jdbcUrl=" + jdbcUrl + ", username=" + username
                + ", maxConnections=" + maxConnections + ", maxDrainsPerSource=" + maxDrainsPerSource
                + ", blockedRanges=" + blockedRanges + ", allowedRanges=" + allowedRanges + "]";
    }
}
