package dev.hydrant.trafficcontroller.drains;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;

/**
 * The JSON of the drains API (the contract in traffic-controller/README.md): a binding with its URL redacted
 * and whether it carries a client certificate and a CA; with secrets (admins, for nozzles/syslog) the full URL
 * and the PEM strings {@code cert}, {@code key} and {@code ca} (null when absent) instead of the flags' CA.
 */
final class BindingJson {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    private BindingJson() {
    }

    static JsonObject binding(Binding binding, boolean secrets) {
        JsonObject json = new JsonObject();
        json.addProperty("id", binding.id().toString());
        json.addProperty("source_id", binding.sourceId());
        json.addProperty("url", secrets ? binding.url() : binding.redactedUrl());
        json.addProperty("drain_type", binding.type().wire());
        json.addProperty("disable_metadata", binding.disableMetadata());
        json.addProperty("client_cert", binding.cert() != null);
        if (secrets) {
            json.addProperty("cert", binding.cert());
            json.addProperty("key", binding.key());
            json.addProperty("ca", binding.ca());
        } else {
            json.addProperty("ca", binding.ca() != null);
        }
        json.addProperty("created_at", binding.createdAt().toString());
        return json;
    }

    static String one(Binding binding) {
        return GSON.toJson(binding(binding, false));
    }

    /** {@code {"drains": [...]}}, with {@code "generation"} first when given (the secrets listing). */
    static String list(List<Binding> bindings, boolean secrets, Long generation) {
        JsonObject json = new JsonObject();
        if (generation != null) {
            json.addProperty("generation", generation);
        }
        JsonArray drains = new JsonArray();
        bindings.forEach(binding -> drains.add(binding(binding, secrets)));
        json.add("drains", drains);
        return GSON.toJson(json);
    }

    static String error(String error, String message) {
        JsonObject json = new JsonObject();
        json.addProperty("error", error);
        json.addProperty("message", message);
        return GSON.toJson(json);
    }
}
