package dev.hydrant.nozzle.client;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import dev.hydrant.api.convert.V1Conversion;
import dev.hydrant.api.json.EnvelopeJson;
import dev.hydrant.nozzle.auth.TokenProvider;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.cloudfoundry.dropsonde.events.EventFactory;
import org.cloudfoundry.loggregator.v2.Envelope;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;

/**
 * One-shot reads from the Doppler caches through the Traffic Controller: v1 recent logs
 * ({@code /apps/{id}/recentlogs}, multipart/x-protobuf, docs/wire.md section 4) and the Log Cache style
 * {@code /api/v1/read/{id}} (section 6). A refused token is replaced and the read tried once more; a
 * permanent problem (the token refused again, a certificate not trusted) fails the read with a
 * {@link HydrantClientException} that says what to fix.
 */
final class RecentReader {

    private final HttpClient http;
    private final String baseUrl;
    private final TokenProvider tokens;
    private final LongAdder unreadable;
    private final ConnectionFailure.Target target;

    RecentReader(HttpClient http, String baseUrl, TokenProvider tokens, LongAdder unreadable,
                 ConnectionFailure.Target target) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.tokens = tokens;
        this.unreadable = unreadable;
        this.target = target;
    }

    /** Recent logs, oldest first. */
    Mono<List<Envelope>> recentLogs(String sourceId, int limit) {
        String path = "/apps/" + encode(sourceId) + "/recentlogs?limit=" + limit;
        return get(path, (contentType, body) -> {
            List<Envelope> envelopes = new ArrayList<>();
            for (byte[] part : MultipartParts.split(body, MultipartParts.boundary(contentType))) {
                try {
                    V1Conversion.toV2(EventFactory.Envelope.parseFrom(part))
                            .ifPresentOrElse(envelopes::add, unreadable::increment);
                } catch (InvalidProtocolBufferException e) {
                    unreadable.increment();
                }
            }
            envelopes.sort(Comparator.comparingLong(Envelope::getTimestamp));
            return envelopes;
        });
    }

    /** Envelopes of any type from the Log Cache style API, in the order the server gives. */
    Mono<List<Envelope>> read(String sourceId, int limit) {
        String path = "/api/v1/read/" + encode(sourceId) + "?limit=" + limit;
        return get(path, (contentType, body) -> {
            Struct.Builder json = Struct.newBuilder();
            JsonFormat.parser().ignoringUnknownFields().merge(new String(body, StandardCharsets.UTF_8), json);
            com.google.protobuf.Value envelopes = json.getFieldsMap().get("envelopes");
            if (envelopes == null || !envelopes.hasStructValue()) {
                return List.of();
            }
            return EnvelopeJson.batchFromJson(JsonFormat.printer().print(envelopes.getStructValue())).getBatchList();
        });
    }

    private interface BodyReader {
        List<Envelope> read(String contentType, byte[] body) throws Exception;
    }

    private Mono<List<Envelope>> get(String path, BodyReader reader) {
        return Mono.defer(() -> tokens.token().flatMap(token -> http.headers(h -> {
                            if (!token.isEmpty()) {
                                h.set(HttpHeaderNames.AUTHORIZATION, "bearer " + token);
                            }
                        })
                        .get()
                        .uri(baseUrl + path)
                        .responseSingle((response, body) -> body.asByteArray().defaultIfEmpty(new byte[0]).flatMap(bytes -> {
                            int status = response.status().code();
                            if (status != 200) {
                                return Mono.error(HydrantClientException.http("GET " + path, status,
                                        new String(bytes, StandardCharsets.UTF_8)));
                            }
                            String contentType = response.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE);
                            return Mono.fromCallable(() -> reader.read(contentType, bytes));
                        }))
                        .doOnError(HydrantClientException.class, e -> {
                            if (e.authRefused()) {
                                tokens.invalidate(token);
                            }
                        })))
                .retryWhen(Retry.max(1)
                        .filter(e -> e instanceof HydrantClientException h && h.authRefused())
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .onErrorMap(e -> {
                    ConnectionFailure failure = ConnectionFailure.classify(e, target, true);
                    return failure.permanent() ? failure.exception() : e;
                });
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
