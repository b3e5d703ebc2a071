package dev.hydrant.metron.scrape;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read whole, up to a limit: past the limit the exchange is cancelled and the body
 * fails with {@link TooLarge}, so a target can never make the agent hold more than the limit.
 */
final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** A body over the limit. */
    static final class TooLarge extends IOException {

        TooLarge(long limit) {
            super("the body is larger than " + limit + " bytes (max-body-size)", null);
        }
    }

    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final long limit;
    private final boolean declaredTooLarge;
    private Flow.Subscription subscription;

    private BoundedBody(long limit, boolean declaredTooLarge) {
        this.limit = limit;
        this.declaredTooLarge = declaredTooLarge;
    }

    /** A handler reading a 200 body within {@code limit} bytes, and discarding any other. */
    static HttpResponse.BodyHandler<byte[]> handler(long limit) {
        return info -> {
            if (info.statusCode() != 200) {
                return HttpResponse.BodySubscribers.replacing(new byte[0]);
            }
            long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            return new BoundedBody(limit, declared > limit);
        };
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (declaredTooLarge) {
            subscription.cancel();
            result.completeExceptionally(new TooLarge(limit));
            return;
        }
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (result.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            if (body.size() + (long) buffer.remaining() > limit) {
                subscription.cancel();
                result.completeExceptionally(new TooLarge(limit));
                return;
            }
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            body.writeBytes(bytes);
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable error) {
        result.completeExceptionally(error);
    }

    @Override
    public void onComplete() {
        result.complete(body.toByteArray());
    }
}
