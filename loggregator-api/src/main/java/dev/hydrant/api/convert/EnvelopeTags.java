package dev.hydrant.api.convert;

import java.util.Set;

/** The v2 tag names that carry v1 envelope fields (docs/wire.md sections 1 and 3). */
final class EnvelopeTags {

    static final String ORIGIN = "origin";
    static final String DEPLOYMENT = "deployment";
    static final String JOB = "job";
    static final String INDEX = "index";
    static final String IP = "ip";
    static final String SOURCE_ID = "source_id";
    static final String SOURCE_TYPE = "source_type";
    /** The code of a v1 Error, on the v2 Event it becomes. */
    static final String ERROR_CODE = "code";

    /** Tags that become fields of the v1 envelope itself, not v1 tags. */
    static final Set<String> ENVELOPE_FIELDS = Set.of(ORIGIN, DEPLOYMENT, JOB, INDEX, IP);

    static final Set<String> CONTAINER_METRIC_KEYS =
            Set.of("cpu", "memory", "disk", "memory_quota", "disk_quota");

    private EnvelopeTags() {
    }
}
