package dev.hydrant.trafficcontroller.websocket;

import java.net.URI;
import java.util.List;
import org.cloudfoundry.loggregator.v2.CounterSelector;
import org.cloudfoundry.loggregator.v2.EgressBatchRequest;
import org.cloudfoundry.loggregator.v2.EventSelector;
import org.cloudfoundry.loggregator.v2.GaugeSelector;
import org.cloudfoundry.loggregator.v2.LogSelector;
import org.cloudfoundry.loggregator.v2.Selector;
import org.cloudfoundry.loggregator.v2.TimerSelector;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * What a v1 websocket path asks for: {@code /firehose/{subscription_id}[?filter-type=logs|metrics]}
 * (another filter-type is an error)
 * (shard id = subscription id, so consumers sharing it split the stream across every Traffic
 * Controller) or {@code /apps/{source_id}/stream} (that app, whole stream for each consumer).
 *
 * @param firehose  whether this is a firehose
 * @param id        the subscription id or the source id
 * @param endpoint  the metrics tag: firehose or app_stream
 * @param request   what to ask the Dopplers for
 * @param error     why the request is refused with 400 (a {@code filter-type} other than logs or
 *                  metrics), or null
 */
public record StreamTarget(boolean firehose, String id, String endpoint, EgressBatchRequest request, String error) {

    /** The target of a path, or null when the path is no v1 stream. */
    public static StreamTarget of(URI uri) {
        List<String> segments = UriComponentsBuilder.fromUri(uri).build().getPathSegments();
        if (segments.size() == 2 && segments.get(0).equals("firehose") && !segments.get(1).isBlank()) {
            String filter = UriComponentsBuilder.fromUri(uri).build().getQueryParams().getFirst("filter-type");
            List<Selector> selectors = switch (filter == null ? "" : filter) {
                case "logs" -> List.of(type("", Kind.LOG));
                case "metrics" -> List.of(type("", Kind.COUNTER), type("", Kind.GAUGE), type("", Kind.TIMER));
                case "" -> List.of(type("", Kind.LOG), type("", Kind.COUNTER), type("", Kind.GAUGE),
                        type("", Kind.TIMER), type("", Kind.EVENT));
                default -> List.of();
            };
            String error = selectors.isEmpty()
                    ? "filter-type must be logs or metrics (or absent for everything)" : null;
            EgressBatchRequest request = EgressBatchRequest.newBuilder()
                    .setShardId(segments.get(1)).addAllSelectors(selectors).build();
            return new StreamTarget(true, segments.get(1), "firehose", request, error);
        }
        if (segments.size() == 3 && segments.get(0).equals("apps") && segments.get(2).equals("stream")
                && !segments.get(1).isBlank()) {
            String sourceId = segments.get(1);
            EgressBatchRequest request = EgressBatchRequest.newBuilder()
                    .addSelectors(type(sourceId, Kind.LOG)).addSelectors(type(sourceId, Kind.COUNTER))
                    .addSelectors(type(sourceId, Kind.GAUGE)).addSelectors(type(sourceId, Kind.TIMER))
                    .build();
            return new StreamTarget(false, sourceId, "app_stream", request, null);
        }
        return null;
    }

    private enum Kind { LOG, COUNTER, GAUGE, TIMER, EVENT }

    private static Selector type(String sourceId, Kind kind) {
        Selector.Builder selector = Selector.newBuilder().setSourceId(sourceId);
        switch (kind) {
            case LOG -> selector.setLog(LogSelector.getDefaultInstance());
            case COUNTER -> selector.setCounter(CounterSelector.getDefaultInstance());
            case GAUGE -> selector.setGauge(GaugeSelector.getDefaultInstance());
            case TIMER -> selector.setTimer(TimerSelector.getDefaultInstance());
            case EVENT -> selector.setEvent(EventSelector.getDefaultInstance());
        }
        return selector.build();
    }
}
