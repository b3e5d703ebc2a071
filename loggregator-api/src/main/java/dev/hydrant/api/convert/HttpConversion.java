package dev.hydrant.api.convert;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cloudfoundry.dropsonde.events.HttpFactory;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Timer;

/**
 * A v1 HttpStartStop and the v2 Timer named {@code http} whose tags ({@link HttpTags}) carry its fields.
 *
 * <p>Defaults for absent or unreadable tags, so the required v1 fields are always set: request id
 * all zero, peer type {@code Server}, method {@code GET}, empty strings, status code and content length 0.
 */
final class HttpConversion {

    private static final Map<String, HttpFactory.Method> METHODS = new HashMap<>();

    static {
        for (HttpFactory.Method method : HttpFactory.Method.values()) {
            METHODS.put(method.name(), method);
            METHODS.put(method.name().replace('_', '-'), method);
        }
    }

    private HttpConversion() {
    }

    static HttpFactory.HttpStartStop.Builder toV1(Envelope v2) {
        Timer timer = v2.getTimer();
        Map<String, String> tags = v2.getTagsMap();
        HttpFactory.HttpStartStop.Builder http = HttpFactory.HttpStartStop.newBuilder()
                .setStartTimestamp(timer.getStart())
                .setStopTimestamp(timer.getStop())
                .setRequestId(DropsondeUuid.parse(tags.get(HttpTags.REQUEST_ID))
                        .map(DropsondeUuid::toV1).orElse(DropsondeUuid.ZERO))
                .setPeerType(peerType(tags.get(HttpTags.PEER_TYPE)))
                .setMethod(method(tags.get(HttpTags.METHOD)))
                .setUri(tags.getOrDefault(HttpTags.URI, ""))
                .setRemoteAddress(tags.getOrDefault(HttpTags.REMOTE_ADDRESS, ""))
                .setUserAgent(tags.getOrDefault(HttpTags.USER_AGENT, ""))
                .setStatusCode(DecimalText.parseInt(tags.get(HttpTags.STATUS_CODE), 0))
                .setContentLength(DecimalText.parseLong(tags.get(HttpTags.CONTENT_LENGTH), 0));
        DropsondeUuid.parse(v2.getSourceId()).ifPresent(app -> http.setApplicationId(DropsondeUuid.toV1(app)));
        String instanceIndex = tags.getOrDefault(HttpTags.INSTANCE_INDEX, v2.getInstanceId());
        if (DecimalText.isInt(instanceIndex)) {
            http.setInstanceIndex(Integer.parseInt(instanceIndex));
        }
        if (tags.containsKey(HttpTags.INSTANCE_ID)) {
            http.setInstanceId(tags.get(HttpTags.INSTANCE_ID));
        }
        String forwarded = tags.getOrDefault(HttpTags.FORWARDED, "");
        if (!forwarded.isEmpty()) {
            http.addAllForwarded(List.of(forwarded.split(HttpTags.FORWARDED_SEPARATOR)));
        }
        return http;
    }

    /** Sets the timer and the http tags on {@code v2}; source and instance ids are left to the caller. */
    static void toV2(HttpFactory.HttpStartStop http, Envelope.Builder v2) {
        v2.setTimer(Timer.newBuilder()
                .setName(HttpTags.TIMER_NAME)
                .setStart(http.getStartTimestamp())
                .setStop(http.getStopTimestamp()));
        if (http.hasRequestId()) {
            v2.putTags(HttpTags.REQUEST_ID, DropsondeUuid.fromV1(http.getRequestId()).toString());
        }
        if (http.hasPeerType()) {
            v2.putTags(HttpTags.PEER_TYPE, http.getPeerType().name());
        }
        if (http.hasMethod()) {
            v2.putTags(HttpTags.METHOD, http.getMethod().name());
        }
        v2.putTags(HttpTags.URI, http.getUri());
        v2.putTags(HttpTags.REMOTE_ADDRESS, http.getRemoteAddress());
        v2.putTags(HttpTags.USER_AGENT, http.getUserAgent());
        v2.putTags(HttpTags.STATUS_CODE, Integer.toString(http.getStatusCode()));
        v2.putTags(HttpTags.CONTENT_LENGTH, Long.toString(http.getContentLength()));
        if (http.hasInstanceIndex()) {
            v2.putTags(HttpTags.INSTANCE_INDEX, Integer.toString(http.getInstanceIndex()));
        }
        if (http.hasInstanceId()) {
            v2.putTags(HttpTags.INSTANCE_ID, http.getInstanceId());
        }
        if (http.getForwardedCount() > 0) {
            v2.putTags(HttpTags.FORWARDED, String.join(HttpTags.FORWARDED_SEPARATOR, http.getForwardedList()));
        }
    }

    private static HttpFactory.PeerType peerType(String text) {
        return "client".equalsIgnoreCase(text) ? HttpFactory.PeerType.Client : HttpFactory.PeerType.Server;
    }

    private static HttpFactory.Method method(String text) {
        if (text == null) {
            return HttpFactory.Method.GET;
        }
        return METHODS.getOrDefault(text.toUpperCase(Locale.ROOT), HttpFactory.Method.GET);
    }
}
