package dev.hydrant.nozzles.elasticsearch.template;

import dev.hydrant.nozzles.elasticsearch.bulk.IndexTarget;
import dev.hydrant.nozzles.elasticsearch.config.ElasticsearchProperties.IndexMode;
import java.util.stream.Collectors;

/**
 * The composable index template ({@code PUT _index_template/NAME}) that types the nozzle's documents, as both
 * Elasticsearch 8 and OpenSearch 2 read it: {@code @timestamp} as {@code date_nanos} (envelopes carry
 * nanoseconds), ids, types and tags as {@code keyword}, the log message as {@code text}, metric values as
 * numbers; for a data stream, {@code "data_stream": {}}.
 */
public final class IndexTemplate {

    private static final String MAPPINGS = """
            {"dynamic_templates":[\
            {"tags":{"path_match":"tags.*","mapping":{"type":"keyword","ignore_above":1024}}},\
            {"gauge_values":{"path_match":"gauge.*.value","mapping":{"type":"double"}}},\
            {"gauge_units":{"path_match":"gauge.*.unit","mapping":{"type":"keyword"}}}],\
            "properties":{\
            "@timestamp":{"type":"date_nanos"},\
            "source_id":{"type":"keyword"},\
            "instance_id":{"type":"keyword"},\
            "message_type":{"type":"keyword"},\
            "message":{"type":"text"},\
            "log_type":{"type":"keyword"},\
            "counter":{"properties":{"name":{"type":"keyword"},"delta":{"type":"long"},"total":{"type":"long"}}},\
            "timer":{"properties":{"name":{"type":"keyword"},"start":{"type":"date_nanos"},\
            "stop":{"type":"date_nanos"},"duration_ns":{"type":"long"}}},\
            "event":{"properties":{"title":{"type":"keyword"},"body":{"type":"text"}}}}}""";

    private IndexTemplate() {
    }

    /** The template's body. {@code replicas} null leaves the cluster's default. */
    public static String body(IndexTarget target, int priority, int shards, Integer replicas) {
        String patterns = target.patterns().stream().map(p -> "\"" + p + "\"").collect(Collectors.joining(","));
        String settings = "{\"number_of_shards\":" + shards + (replicas == null ? "" : ",\"number_of_replicas\":" + replicas) + "}";
        return "{\"index_patterns\":[" + patterns + "],"
                + (target.mode() == IndexMode.DATA_STREAM ? "\"data_stream\":{}," : "")
                + "\"priority\":" + priority + ","
                + "\"_meta\":{\"managed_by\":\"hydrant nozzle-elasticsearch\"},"
                + "\"template\":{\"settings\":" + settings + ",\"mappings\":" + MAPPINGS + "}}";
    }
}
