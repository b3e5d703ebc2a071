package dev.hydrant.trafficcontroller.sse;

import dev.hydrant.trafficcontroller.auth.Refusal;
import dev.hydrant.trafficcontroller.fanin.EgressLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cloudfoundry.loggregator.v2.CounterSelector;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EventSelector;
import org.cloudfoundry.loggregator.v2.GaugeSelector;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;
import org.cloudfoundry.loggregator.v2.TimerSelector;
import org.springframework.http.HttpStatus;
import org.springframework.util.MultiValueMap;

/**
 * The query of {@code GET /v2/read} (docs/wire.md section 5) turned into a Doppler subscription:
 * one selector per source id (or one for all sources) and per envelope type asked for, within
 * {@link EgressLimits} (else 400 too_many_selectors, invalid_shard_id or invalid_deterministic_name).
 *
 * @param sourceIds the source ids named; empty means all (admins only)
 * @param request   the subscription, or null when {@code error} is set
 * @param error     the 400 answer for an invalid query, or null
 */
record ReadQuery(List<String> sourceIds, EgressBatchRequest request, Refusal error) {

    static ReadQuery parse(MultiValueMap<String, String> query, EgressLimits limits) {
        List<String> sourceIds = nonEmpty(query.get("source_id"));
        if (query.isEmpty()) {
            return invalid(sourceIds, "empty_query", "query cannot be empty");
        }
        List<Selector.Builder> types = new ArrayList<>();
        if (query.containsKey("log")) {
            types.add(Selector.newBuilder().setLog(LogSelector.getDefaultInstance()));
        }
        List<String> counterNames = query.get("counter.name");
        if (counterNames != null) {
            for (String name : counterNames) {
                if (name == null || name.isBlank()) {
                    return invalid(sourceIds, "missing_counter_name", "counter.name is invalid");
                }
                types.add(Selector.newBuilder().setCounter(CounterSelector.newBuilder().setName(name)));
            }
        } else if (query.containsKey("counter")) {
            types.add(Selector.newBuilder().setCounter(CounterSelector.getDefaultInstance()));
        }
        List<String> gaugeNames = query.get("gauge.name");
        if (gaugeNames != null) {
            for (String names : gaugeNames) {
                List<String> split = names == null ? List.of()
                        : Arrays.stream(names.split(",")).map(String::trim).filter(n -> !n.isEmpty()).toList();
                if (split.isEmpty()) {
                    return invalid(sourceIds, "missing_gauge_name", "gauge.name is invalid");
                }
                types.add(Selector.newBuilder().setGauge(GaugeSelector.newBuilder().addAllNames(split)));
            }
        } else if (query.containsKey("gauge")) {
            types.add(Selector.newBuilder().setGauge(GaugeSelector.getDefaultInstance()));
        }
        if (query.containsKey("timer")) {
            types.add(Selector.newBuilder().setTimer(TimerSelector.getDefaultInstance()));
        }
        if (query.containsKey("event")) {
            types.add(Selector.newBuilder().setEvent(EventSelector.getDefaultInstance()));
        }
        if (types.isEmpty()) {
            return invalid(sourceIds, "missing_envelope_type", "query must provide at least one envelope type");
        }
        EgressBatchRequest.Builder request = EgressBatchRequest.newBuilder()
                .setShardId(first(query, "shard_id"))
                .setDeterministicName(first(query, "deterministic_name"));
        for (String sourceId : sourceIds.isEmpty() ? List.of("") : sourceIds) {
            for (Selector.Builder type : types) {
                request.addSelectors(type.clone().setSourceId(sourceId));
            }
        }
        EgressBatchRequest built = request.build();
        if (EgressLimits.longerThan(built.getShardId(), EgressLimits.MAX_SHARD_ID_BYTES)) {
            return invalid(sourceIds, "invalid_shard_id",
                    "shard_id may be at most " + EgressLimits.MAX_SHARD_ID_BYTES + " bytes long");
        }
        if (EgressLimits.longerThan(built.getDeterministicName(), EgressLimits.MAX_DETERMINISTIC_NAME_BYTES)) {
            return invalid(sourceIds, "invalid_deterministic_name",
                    "deterministic_name may be at most " + EgressLimits.MAX_DETERMINISTIC_NAME_BYTES + " bytes long");
        }
        if (built.getSelectorsCount() > limits.maxSelectors()) {
            return invalid(sourceIds, "too_many_selectors", "at most " + limits.maxSelectors()
                    + " selectors (source ids times envelope types) are allowed, "
                    + built.getSelectorsCount() + " asked");
        }
        return new ReadQuery(sourceIds, built, null);
    }

    private static ReadQuery invalid(List<String> sourceIds, String error, String message) {
        return new ReadQuery(sourceIds, null, Refusal.json(HttpStatus.BAD_REQUEST, error, message, "bad_request"));
    }

    private static List<String> nonEmpty(List<String> values) {
        return values == null ? List.of() : values.stream().filter(v -> v != null && !v.isBlank()).distinct().toList();
    }

    private static String first(MultiValueMap<String, String> query, String key) {
        String value = query.getFirst(key);
        return value == null ? "" : value;
    }
}
