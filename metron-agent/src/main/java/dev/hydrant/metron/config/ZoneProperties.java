package dev.hydrant.metron.config;

import dev.hydrant.plumbing.config.InvalidSettingException;
import dev.hydrant.plumbing.discovery.DopplerAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The agent's availability zone and the Dopplers of each zone: {@code hydrant.metron.zone} and
 * {@code hydrant.metron.zone-dopplers.<zone>}. The agent prefers the Dopplers of its own zone and falls
 * back to all the others (those of {@code dopplers} and of the other zones). The same
 * {@code zone-dopplers} can be given to every agent of a deployment; only {@code zone} differs.
 *
 * @param zone         the agent's zone; unset for none (all Dopplers alike)
 * @param zoneDopplers per zone, its Dopplers, each entry as in {@code dopplers}
 */
@ConfigurationProperties(MetronProperties.PREFIX)
public record ZoneProperties(String zone, @DefaultValue Map<String, List<String>> zoneDopplers) {

    /** The Doppler of an agent given none at all. */
    static final List<String> DEFAULT_DOPPLERS = List.of("127.0.0.1:8082");

    /** The Dopplers, checked, as the preferred ones (of the agent's zone) and the others. */
    record Split(List<DopplerAddress> zone, List<DopplerAddress> others) {
    }

    /**
     * Splits the Dopplers of {@code dopplers} and {@code zone-dopplers} into those of the agent's zone and
     * the others; with neither set, the others are {@code 127.0.0.1:8082}. A bad entry or a zone with no
     * Dopplers stops start-up naming the setting.
     */
    Split split(List<String> dopplers) {
        String own = zone == null ? "" : zone.strip();
        if (!own.isEmpty() && zoneDopplers.getOrDefault(own, List.of()).isEmpty()) {
            throw new InvalidSettingException(MetronProperties.PREFIX + ".zone", "no Dopplers are listed for zone '"
                    + own + "' in " + MetronProperties.PREFIX + ".zone-dopplers." + own);
        }
        List<DopplerAddress> preferred = new ArrayList<>();
        List<DopplerAddress> others = new ArrayList<>(parse(dopplers.isEmpty() && zoneDopplers.isEmpty()
                ? DEFAULT_DOPPLERS : dopplers, MetronProperties.PREFIX + ".dopplers"));
        for (Map.Entry<String, List<String>> entry : new TreeMap<>(zoneDopplers).entrySet()) {
            List<DopplerAddress> parsed = parse(entry.getValue(),
                    MetronProperties.PREFIX + ".zone-dopplers." + entry.getKey());
            (entry.getKey().equals(own) ? preferred : others).addAll(parsed);
        }
        return new Split(preferred, others);
    }

    private static List<DopplerAddress> parse(List<String> entries, String setting) {
        List<DopplerAddress> parsed = new ArrayList<>();
        for (String entry : entries) {
            if (entry == null || entry.isBlank()) {
                throw new InvalidSettingException(setting, "an entry is empty");
            }
            parsed.add(DopplerAddress.parse(entry, setting));
        }
        return parsed;
    }
}
