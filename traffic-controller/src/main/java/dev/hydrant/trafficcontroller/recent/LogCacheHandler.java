package dev.hydrant.trafficcontroller.recent;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.hydrant.api.recent.EnvelopeType;
import dev.hydrant.api.recent.MetaInfo;
import dev.hydrant.api.recent.MetaResponse;
import dev.hydrant.api.recent.ReadRequest;
import dev.hydrant.trafficcontroller.auth.AuthException;
import dev.hydrant.trafficcontroller.auth.Authorizer;
import dev.hydrant.trafficcontroller.auth.Caller;
import dev.hydrant.trafficcontroller.auth.Refusal;
import dev.hydrant.trafficcontroller.auth.Rejections;
import dev.hydrant.trafficcontroller.config.ProxyMetrics;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The Log Cache style read API over the Doppler caches (docs/wire.md section 6):
 * {@code GET /api/v1/read/{source_id}} answers {@code {"envelopes":{"batch":[...]}}} and
 * {@code GET /api/v1/meta} what the caches hold. Any missing or insufficient auth answers 404. An
 * answer that some Dopplers missed carries {@value RecentRead#PARTIAL_HEADER}; one that no Doppler
 * answered is 503 {@code {"error":"unavailable",...}}.
 */
public final class LogCacheHandler {

    private static final JsonFormat.Printer META_PRINTER = JsonFormat.printer()
            .alwaysPrintFieldsWithNoPresence().omittingInsignificantWhitespace();

    private final Authorizer authorizer;
    private final RecentReader reader;
    private final ProxyMetrics metrics;
    private final Rejections rejections;

    public LogCacheHandler(Authorizer authorizer, RecentReader reader, ProxyMetrics metrics, Rejections rejections) {
        this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
        this.reader = Objects.requireNonNull(reader, "reader");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.rejections = Objects.requireNonNull(rejections, "rejections");
    }

    public Mono<ServerResponse> read(ServerRequest request) {
        String sourceId = request.pathVariable("sourceId");
        return authorizer.requireRead(request.exchange().getRequest(), sourceId)
                .flatMap(caller -> {
                    ReadRequest read;
                    try {
                        read = parse(request, sourceId);
                    } catch (IllegalArgumentException e) {
                        rejections.count("bad_request");
                        return Refusal.json(HttpStatus.BAD_REQUEST, "bad_request", e.getMessage(), "bad_request")
                                .toResponse();
                    }
                    return reader.read(read).flatMap(answer -> {
                        if (answer.failed()) {
                            return unavailable(answer);
                        }
                        metrics.egress("read").increment(answer.value().size());
                        return answer.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(JsonBody.of(answer.value()));
                    });
                })
                .onErrorResume(AuthException.class, this::refuse);
    }

    public Mono<ServerResponse> meta(ServerRequest request) {
        return authorizer.authenticate(request.exchange().getRequest())
                .flatMap(caller -> reader.meta().flatMap(answer -> answer.failed() ? unavailable(answer)
                        : visible(caller, answer.value()).flatMap(meta -> {
                            try {
                                String json = META_PRINTER.print(MetaResponse.newBuilder().putAllMeta(meta).build());
                                return answer.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(json);
                            } catch (InvalidProtocolBufferException e) {
                                return Mono.error(new IllegalStateException(e));
                            }
                        })))
                .onErrorResume(AuthException.class, this::refuse);
    }

    /** 503 {@code {"error":"unavailable",...}}: no Doppler answered, which must not look like an empty cache. */
    private Mono<ServerResponse> unavailable(RecentRead<?> answer) {
        rejections.count("unavailable");
        return Refusal.json(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", answer.unavailable(), "unavailable")
                .toResponse();
    }

    /** Admins see every source id; others only those they may read. */
    private Mono<Map<String, MetaInfo>> visible(Caller caller, Map<String, MetaInfo> meta) {
        if (caller.admin()) {
            return Mono.just(meta);
        }
        return Flux.fromIterable(meta.entrySet())
                .filterWhen(entry -> authorizer.canRead(caller, entry.getKey()), 4)
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    private Mono<ServerResponse> refuse(AuthException e) {
        Refusal refusal = Refusal.notFound(e.failure());
        rejections.count(refusal.reason());
        return refusal.toResponse();
    }

    static ReadRequest parse(ServerRequest request, String sourceId) {
        ReadRequest.Builder read = ReadRequest.newBuilder().setSourceId(sourceId);
        number(request, "start_time").ifPresent(read::setStartTime);
        number(request, "end_time").ifPresent(read::setEndTime);
        long limit = number(request, "limit").orElse(100L);
        if (limit < 1 || limit > RecentReader.MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + RecentReader.MAX_LIMIT);
        }
        read.setLimit((int) limit);
        for (String value : request.queryParams().getOrDefault("envelope_types", java.util.List.of())) {
            if (value == null) {
                continue; // "envelope_types" without "=": names no type
            }
            for (String type : value.split(",")) {
                if (type.isBlank()) {
                    continue;
                }
                try {
                    EnvelopeType parsed = EnvelopeType.valueOf(type.trim().toUpperCase(Locale.ROOT));
                    if (parsed != EnvelopeType.ANY) {
                        read.addEnvelopeTypes(parsed);
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("envelope_types must be among "
                            + Arrays.toString(new String[] {"LOG", "COUNTER", "GAUGE", "TIMER", "EVENT", "ANY"}));
                }
            }
        }
        read.setDescending(bool(request, "descending"));
        if (request.queryParam("name_filter").isPresent()) {
            throw new IllegalArgumentException("name_filter is not supported; select by envelope_types");
        }
        return read.build();
    }

    private static boolean bool(ServerRequest request, String name) {
        String value = request.queryParam(name).filter(v -> !v.isBlank()).orElse("false");
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException(name + " must be true or false");
    }

    private static Optional<Long> number(ServerRequest request, String name) {
        Optional<String> value = request.queryParam(name).filter(v -> !v.isBlank());
        try {
            return value.map(Long::parseLong);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number");
        }
    }
}
