package dev.hydrant.trafficcontroller.recent;

import com.google.protobuf.CodedOutputStream;
import dev.hydrant.api.convert.V1Conversion;
import dev.hydrant.api.recent.EnvelopeType;
import dev.hydrant.api.recent.ReadRequest;
import dev.hydrant.trafficcontroller.auth.AuthException;
import dev.hydrant.trafficcontroller.auth.Authorizer;
import dev.hydrant.trafficcontroller.auth.Refusal;
import dev.hydrant.trafficcontroller.auth.Rejections;
import dev.hydrant.trafficcontroller.config.ProxyMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * The historic v1 reads, now served from the Doppler caches (docs/wire.md section 4):
 * {@code /apps/{id}/recentlogs?limit=N} (the newest N logs, default 1000, oldest first) and
 * {@code /apps/{id}/containermetrics} (the newest container metric of each instance), answered as
 * {@code multipart/x-protobuf} with one marshalled dropsonde Envelope per part. An answer that
 * some Dopplers missed carries {@value RecentRead#PARTIAL_HEADER}; one that no Doppler answered
 * is 503 with a plain-text reason.
 */
public final class RecentLogsHandler {

    /** Logs answered when no limit is given. */
    public static final int DEFAULT_LIMIT = 1000;

    private final Authorizer authorizer;
    private final RecentReader reader;
    private final ProxyMetrics metrics;
    private final Rejections rejections;

    public RecentLogsHandler(Authorizer authorizer, RecentReader reader, ProxyMetrics metrics, Rejections rejections) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.rejections = Objects.requireNonNull(rejections, "rejections");
    }

    public Mono<ServerResponse> recentLogs(ServerRequest request) {
        String sourceId = request.pathVariable("sourceId");
        int limit;
        try {
            limit = request.queryParam("limit").map(Integer::parseInt).orElse(DEFAULT_LIMIT);
        } catch (NumberFormatException e) {
            rejections.count("bad_request");
            return ServerResponse.status(HttpStatus.BAD_REQUEST).contentType(MediaType.TEXT_PLAIN)
                    .bodyValue("limit must be a number");
        }
        int effective = limit <= 0 ? DEFAULT_LIMIT : Math.min(limit, RecentReader.MAX_LIMIT);
        ReadRequest read = ReadRequest.newBuilder().setSourceId(sourceId).setLimit(effective)
                .addEnvelopeTypes(EnvelopeType.LOG).build();
        return authorizer.requireRead(request.exchange().getRequest(), sourceId)
                .flatMap(caller -> reader.read(read))
                .flatMap(answer -> {
                    if (answer.failed()) {
                        return unavailable(answer);
                    }
                    List<EventFactory.Envelope> v1 = new ArrayList<>();
                    answer.value().forEach(e -> v1.addAll(V1Conversion.toV1(e)));
                    metrics.egress("recent_logs").increment(v1.size());
                    return multipart(answer.ok(), v1);
                })
                .onErrorResume(AuthException.class, e -> refuse(e));
    }

    public Mono<ServerResponse> containerMetrics(ServerRequest request) {
        String sourceId = request.pathVariable("sourceId");
        ReadRequest read = ReadRequest.newBuilder().setSourceId(sourceId).setLimit(RecentReader.MAX_LIMIT)
                .addEnvelopeTypes(EnvelopeType.GAUGE).build();
        return authorizer.requireRead(request.exchange().getRequest(), sourceId)
                .flatMap(caller -> reader.read(read))
                .flatMap(answer -> {
                    if (answer.failed()) {
                        return unavailable(answer);
                    }
                    Map<Integer, EventFactory.Envelope> newestPerInstance = new LinkedHashMap<>();
                    answer.value().forEach(e -> V1Conversion.toV1(e).stream()
                            .filter(EventFactory.Envelope::hasContainerMetric)
                            .forEach(v1 -> newestPerInstance.put(v1.getContainerMetric().getInstanceIndex(), v1)));
                    List<EventFactory.Envelope> v1 = List.copyOf(newestPerInstance.values());
                    metrics.egress("container_metrics").increment(v1.size());
                    return multipart(answer.ok(), v1);
                })
                .onErrorResume(AuthException.class, e -> refuse(e));
    }

    private Mono<ServerResponse> refuse(AuthException e) {
        rejections.count(e.failure());
        return Refusal.v1(e.failure(), false).toResponse();
    }

    /** 503 with a plain-text reason: no Doppler answered, which must not look like "no logs". */
    private Mono<ServerResponse> unavailable(RecentRead<?> answer) {
        rejections.count("unavailable");
        return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.TEXT_PLAIN)
                .bodyValue(answer.unavailable());
    }

    /**
     * One part per envelope, no part headers, as Loggregator has always answered; the body is
     * written once into an array of its exact size, so a large answer is not copied on the way.
     */
    static Mono<ServerResponse> multipart(ServerResponse.BodyBuilder ok, List<EventFactory.Envelope> envelopes) {
        String boundary = UUID.randomUUID().toString().replace("-", "");
        byte[] delimiter = ("--" + boundary + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] crlf = "\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] end = ("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        long size = end.length;
        for (EventFactory.Envelope envelope : envelopes) {
            size += delimiter.length + envelope.getSerializedSize() + crlf.length;
        }
        byte[] body = new byte[Math.toIntExact(size)];
        ByteBuffer out = ByteBuffer.wrap(body);
        for (EventFactory.Envelope envelope : envelopes) {
            out.put(delimiter);
            int length = envelope.getSerializedSize();
            try {
                CodedOutputStream coded = CodedOutputStream.newInstance(body, out.position(), length);
                envelope.writeTo(coded);
                coded.checkNoSpaceLeft();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            out.position(out.position() + length);
            out.put(crlf);
        }
        out.put(end);
        return ok.contentType(MediaType.parseMediaType("multipart/x-protobuf; boundary=" + boundary))
                .bodyValue(body);
    }
}
