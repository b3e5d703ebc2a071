package dev.hydrant.nozzles.elasticsearch.bulk;

import java.util.Locale;
import java.util.Set;

/** Why the cluster refused a document for good: the bounded values of {@code reason} in the rejected counter. */
public enum RejectReason {
    /** The document does not fit the index's mapping (a field of another type, a bad field name). */
    MAPPING,
    /** The target index refuses writes (closed, blocked, missing and not to be created, a bad name). */
    INDEX,
    /** Any other item error. */
    OTHER;

    private static final Set<String> MAPPING_TYPES = Set.of("mapper_parsing_exception", "document_parsing_exception",
            "strict_dynamic_mapping_exception", "illegal_argument_exception", "json_parse_exception",
            "x_content_parse_exception", "mapper_exception");
    private static final Set<String> INDEX_TYPES = Set.of("index_not_found_exception", "cluster_block_exception",
            "index_closed_exception", "invalid_index_name_exception", "illegal_state_exception");

    /** The reason of an item error of this {@code type} (as in {@code items[].create.error.type}). */
    static RejectReason of(String type) {
        if (MAPPING_TYPES.contains(type)) {
            return MAPPING;
        }
        return INDEX_TYPES.contains(type) ? INDEX : OTHER;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
