package dev.hydrant.metron.containers;

import dev.hydrant.plumbing.config.InvalidSettingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The cgroups whose container metrics the agent emits, {@code hydrant.metron.container-metrics.*};
 * checked by {@link #check(Cgroups)}: a bad value stops start-up naming its setting.
 *
 * @param interval how often every cgroup is sampled
 * @param cgroups  the cgroups; none by default
 */
@ConfigurationProperties(ContainerMetricsProperties.PREFIX)
public record ContainerMetricsProperties(@DefaultValue("15s") Duration interval, @DefaultValue List<Cgroup> cgroups) {

    /** Prefix of these settings. */
    public static final String PREFIX = "hydrant.metron.container-metrics";

    /** As Cloud Foundry's cells emit container metrics. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);

    /**
     * One cgroup v2 and the app instance it runs.
     *
     * @param path       the cgroup: a directory under the cgroup2 mount, or its path below the mount ({@code /system.slice/app.scope})
     * @param sourceId   the app's source id (required)
     * @param instanceId the instance, a number for v1 consumers; {@code 0} by default
     * @param diskPath   a path on the container's filesystem, whose use and size are {@code disk} and {@code disk_quota};
     *                   by default the root filesystem of the cgroup's first process
     */
    public record Cgroup(String path, String sourceId, @DefaultValue("0") String instanceId, Path diskPath) {
    }

    /** Checks every setting against the host's cgroup2 mount (empty when it has none); returns the cgroup directories. */
    public List<Path> check(Optional<Cgroups> mount) {
        if (interval == null || interval.toMillis() < 1) {
            throw new InvalidSettingException(PREFIX + ".interval", "must be at least 1ms, was " + interval);
        }
        List<Path> directories = new ArrayList<>();
        for (int i = 0; i < cgroups.size(); i++) {
            String setting = PREFIX + ".cgroups[" + i + "]";
            Cgroup cgroup = cgroups.get(i);
            if (cgroup.sourceId() == null || cgroup.sourceId().isBlank()) {
                throw new InvalidSettingException(setting + ".source-id", "is not set");
            }
            if (cgroup.path() == null || cgroup.path().isBlank()) {
                throw new InvalidSettingException(setting + ".path", "is not set");
            }
            if (mount.isEmpty()) {
                throw new InvalidSettingException(setting + ".path", "this host has no cgroup v2 mount");
            }
            Path directory = mount.get().directory(cgroup.path());
            if (!Files.isRegularFile(directory.resolve("cpu.stat"))) {
                throw new InvalidSettingException(setting + ".path", directory + " is not a cgroup v2 directory (no cpu.stat)");
            }
            if (cgroup.diskPath() != null && !Files.exists(cgroup.diskPath())) {
                throw new InvalidSettingException(setting + ".disk-path", cgroup.diskPath() + " does not exist");
            }
            directories.add(directory);
        }
        return directories;
    }
}
