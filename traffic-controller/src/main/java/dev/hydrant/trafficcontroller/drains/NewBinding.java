package dev.hydrant.trafficcontroller.drains;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * The body of {@code POST /v1/drains}: {@code {"source_id": "...", "url": "...", "cert": "PEM", "key": "PEM",
 * "ca": "PEM"}}, the last three optional. {@link #toString()} shows no credential.
 */
public record NewBinding(String sourceId, String url, String cert, String key, String ca) {

    /** Reads the JSON body; a {@link DrainRefusal} invalid_request when it is not such an object. */
    public static NewBinding parse(String body) {
        JsonObject json;
        try {
            JsonElement parsed = JsonParser.parseString(body == null ? "" : body);
            if (!parsed.isJsonObject()) {
                throw DrainRefusal.invalidRequest("the body must be a JSON object with source_id and url");
            }
            json = parsed.getAsJsonObject();
        } catch (JsonParseException e) {
            throw DrainRefusal.invalidRequest("the body is not valid JSON");
        }
        String sourceId = string(json, "source_id");
        if (sourceId == null || sourceId.isBlank()) {
            throw DrainRefusal.invalidRequest("source_id is required");
        }
        if (sourceId.length() > Drains.MAX_SOURCE_ID) {
            throw DrainRefusal.invalidRequest("source_id is longer than " + Drains.MAX_SOURCE_ID + " characters");
        }
        String url = string(json, "url");
        if (url == null || url.isBlank()) {
            throw DrainRefusal.invalidRequest("url is required");
        }
        return new NewBinding(sourceId, url, string(json, "cert"), string(json, "key"), string(json, "ca"));
    }

    private static String string(JsonObject json, String name) {
        JsonElement value = json.get(name);
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw DrainRefusal.invalidRequest(name + " must be a string");
        }
        return value.getAsString();
    }

    @Override
    public String toString() {
        return "NewBinding[sourceId=" + sourceId + ", url=" + (url == null ? null : DrainUrl.redact(url))
                + ", cert=" + (cert != null) + ", key=" + (key != null) + ", ca=" + (ca != null) + "]";
    }
}
