package dev.hydrant.metron.files;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The container log files the agent tails, {@code hydrant.metron.files.*}. With no input the
 * tailer does not run.
 *
 * @param inputs             the files to tail, each a path or glob with its format and naming
 * @param checkpointDir      where positions are kept (required when there are inputs)
 * @param checkpointInterval how often positions are written; after a SIGKILL at most the lines
 *                           handed on in this long are read again
 * @param pollInterval       how often the globs are evaluated again and every file is read even
 *                           without a filesystem event (the fallback where there are no events)
 * @param idleTimeout        a partial last line (no newline yet), or joined parts with no final
 *                           part, are forwarded after this long without growth; a file renamed
 *                           away or deleted is released after this long without growth
 * @param maxFiles           files tailed at most; more wait, counted once each as {@code files.skipped},
 *                           until a tailed file is released
 * @param watch              whether filesystem events (inotify) wake the tailer; false leaves it to
 *                           {@code pollInterval} alone, for filesystems whose events do not arrive (NFS, FUSE)
 */
@ConfigurationProperties(FilesProperties.PREFIX)
@Validated
public record FilesProperties(
        @DefaultValue List<@Valid Input> inputs,
        Path checkpointDir,
        @DefaultValue("5s") @NotNull @DurationMin(millis = 100) @DurationMax(hours = 1) Duration checkpointInterval,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 10) @DurationMax(minutes = 10) Duration pollInterval,
        @DefaultValue("5s") @NotNull @DurationMin(millis = 10) @DurationMax(hours = 1) Duration idleTimeout,
        @DefaultValue("1024") @Min(1) @Max(1_000_000) int maxFiles,
        @DefaultValue("true") boolean watch) {

    /** Prefix of these settings. */
    public static final String PREFIX = "hydrant.metron.files";

    /**
     * One path or glob ({@code /var/log/pods/*}{@code /*}{@code /*.log}) and how its lines are read and named.
     * The naming settings are templates: {@code {file}} (the file name without {@code .log}) always,
     * and for {@code layout=kubernetes} {@code {namespace}}, {@code {pod}}, {@code {pod-base}},
     * {@code {uid}}, {@code {container}} and {@code {restart}} taken from
     * {@code /var/log/pods/<namespace>_<pod>_<uid>/<container>/<restart>.log}.
     *
     * @param path       an absolute path, may hold glob characters ({@code * ? [ ] { } **})
     * @param format     {@code cri}, {@code docker} or {@code plain}
     * @param layout     {@code kubernetes} when the ids come from the Kubernetes log path, else {@code none}
     * @param sourceId   source id template; required unless {@code layout=kubernetes}
     *                   (then {@code {namespace}/{pod-base}})
     * @param instanceId instance id template; {@code {pod}} for {@code layout=kubernetes}, else {@code 0}
     * @param sourceType tag {@code source_type}; {@code {container}} for {@code layout=kubernetes}, else {@code FILE}
     */
    public record Input(
            @NotBlank String path,
            @DefaultValue("plain") @NotNull LineFormat format,
            @DefaultValue("none") @NotNull Layout layout,
            String sourceId,
            String instanceId,
            String sourceType) {
    }

    /** Where the ids of an input come from. */
    public enum Layout {
        /** Only the templates and {@code {file}}. */
        NONE,
        /** {@code /var/log/pods/<namespace>_<pod>_<uid>/<container>/<restart>.log}. */
        KUBERNETES
    }
}
