package dev.hydrant.nozzles.elasticsearch.bulk;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@code _bulk} answer as the nozzle asks for it ({@code filter_path=errors,items.*.status,items.*.error.type,
 * items.*.error.reason}): when {@code errors} is false, every item succeeded and the items are not read;
 * otherwise each item's status and error.
 */
final class BulkAnswer {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Item OK = new Item(201, "", "");
    private static final Item MISSING = new Item(0, "missing_item", "the answer has fewer items than the request");

    /**
     * One item's outcome.
     *
     * @param status its HTTP status (0: not in the answer)
     * @param type   {@code error.type}, empty when it succeeded
     * @param reason {@code error.reason}
     */
    record Item(int status, String type, String reason) {

        boolean ok() {
            return status / 100 == 2;
        }

        /** Refused for now: the write queue is full (429, {@code es_rejected_execution_exception}), a shard is away (503). */
        boolean retriable() {
            return status == 429 || status == 503 || status == 0 || "es_rejected_execution_exception".equals(type);
        }
    }

    private final JsonNode items;

    private BulkAnswer(JsonNode items) {
        this.items = items;
    }

    /** The answer; one that cannot be read counts as an answer without items (every item to be sent again). */
    static BulkAnswer parse(byte[] answer) {
        try {
            try (JsonParser parser = JSON.createParser(answer)) {
                if (parser.nextToken() == JsonToken.START_OBJECT && parser.nextToken() == JsonToken.PROPERTY_NAME
                        && "errors".equals(parser.currentName()) && parser.nextToken() == JsonToken.VALUE_FALSE) {
                    return new BulkAnswer(null);
                }
            }
            return new BulkAnswer(JSON.readTree(answer).path("items"));
        } catch (JacksonException unreadable) {
            return new BulkAnswer(JSON.missingNode());
        }
    }

    Item item(int index) {
        if (items == null) {
            return OK;
        }
        JsonNode entry = items.path(index);
        if (entry.isMissingNode() || entry.isEmpty()) {
            return MISSING;
        }
        JsonNode result = entry.values().iterator().next();
        JsonNode error = result.path("error");
        return new Item(result.path("status").asInt(0), error.path("type").asString(""), error.path("reason").asString(""));
    }
}
