package dev.hydrant.plumbing.grpc;

import io.grpc.BindableService;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a request message that does not parse with {@code INVALID_ARGUMENT}, for that call alone,
 * counts it, and logs such refusals at most once a minute. Left to itself, grpc-java answers
 * {@code INTERNAL} and logs an ERROR with a stack trace for every such message, so a broken or
 * hostile emitter could fill the log.
 *
 * <p>The service's request marshallers are wrapped so that a message that does not parse becomes
 * {@code null}; an interceptor in front of the service closes the call on that {@code null} and
 * tells the service the call was cancelled, so the service never sees it.
 */
public final class MalformedRequests {

    /** Counted as {@code grpc.malformed_requests}. */
    public static final String METRIC = "grpc.malformed_requests";

    private static final Logger log = LoggerFactory.getLogger(MalformedRequests.class);

    private final Counter refused;
    private final OversizeRequests oversize;
    private final MinuteReport report = new MinuteReport();

    /** @param refused counts every refused message, see {@link #METRIC}; oversize messages are not watched */
    public MalformedRequests(Counter refused) {
        this.refused = Objects.requireNonNull(refused, "refused");
        this.oversize = null;
    }

    /**
     * @param refused  counts every refused message, see {@link #METRIC}
     * @param oversize counts and reports messages over the size limit on the servers passed to {@link #watch}
     */
    public MalformedRequests(Counter refused, OversizeRequests oversize) {
        this.refused = Objects.requireNonNull(refused, "refused");
        this.oversize = Objects.requireNonNull(oversize, "oversize");
    }

    /**
     * A guard counting into {@link #METRIC} of {@code registry}, and watching oversize messages into
     * {@link OversizeRequests#METRIC} of it.
     */
    public static MalformedRequests registeredIn(MeterRegistry registry) {
        return new MalformedRequests(Counter.builder(METRIC)
                .description("gRPC request messages that did not parse, refused with INVALID_ARGUMENT")
                .register(registry), OversizeRequests.registeredIn(registry));
    }

    /**
     * {@code server} watched for request messages over the size limit, counted and reported by
     * {@link OversizeRequests} (a guard made by {@link #MalformedRequests(Counter)} leaves it as it is),
     * and with grpc-netty's WARN for streams a peer left with a write pending reduced by {@link LeftStreams}.
     */
    public NettyServerBuilder watch(NettyServerBuilder server) {
        LeftStreams.quiet();
        if (oversize != null) {
            server.addStreamTracerFactory(oversize.tracer());
        }
        return server;
    }

    /** The service, with every method guarded. */
    public ServerServiceDefinition guard(BindableService service) {
        ServerServiceDefinition original = service.bindService();
        ServiceDescriptor descriptor = original.getServiceDescriptor();
        ServiceDescriptor.Builder lenientDescriptor = ServiceDescriptor.newBuilder(descriptor.getName())
                .setSchemaDescriptor(descriptor.getSchemaDescriptor());
        List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        for (ServerMethodDefinition<?, ?> method : original.getMethods()) {
            ServerMethodDefinition<?, ?> lenient = lenient(method);
            lenientDescriptor.addMethod(lenient.getMethodDescriptor());
            methods.add(lenient);
        }
        ServerServiceDefinition.Builder rebuilt = ServerServiceDefinition.builder(lenientDescriptor.build());
        methods.forEach(rebuilt::addMethod);
        return ServerInterceptors.intercept(rebuilt.build(), new Guard());
    }

    private static <Q, R> ServerMethodDefinition<Q, R> lenient(ServerMethodDefinition<Q, R> method) {
        MethodDescriptor<Q, R> descriptor = method.getMethodDescriptor();
        MethodDescriptor<Q, R> lenient = descriptor.toBuilder(
                new NullOnFailure<>(descriptor.getRequestMarshaller()), descriptor.getResponseMarshaller()).build();
        return ServerMethodDefinition.create(lenient, method.getServerCallHandler());
    }

    private void record(ServerCall<?, ?> call) {
        refused.increment();
        long count = report.occurred();
        if (count > 0) {
            log.warn("Refused {} request message(s) that did not parse since the last report, the latest a {} from {}",
                    count, call.getMethodDescriptor().getFullMethodName(),
                    call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
        }
    }

    /** Parses as the wrapped marshaller does, but answers {@code null} where it would throw. */
    private static final class NullOnFailure<T> implements MethodDescriptor.Marshaller<T> {
        private final MethodDescriptor.Marshaller<T> delegate;

        NullOnFailure(MethodDescriptor.Marshaller<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        public InputStream stream(T value) {
            return delegate.stream(value);
        }

        @Override
        public T parse(InputStream stream) {
            try {
                return delegate.parse(stream);
            } catch (RuntimeException e) {
                return null;
            }
        }
    }

    private final class Guard implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                           ServerCallHandler<Q, R> next) {
            ServerCall.Listener<Q> service = next.startCall(call, headers);
            return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(service) {
                private boolean refusedCall;

                @Override
                public void onMessage(Q message) {
                    if (refusedCall) {
                        return;
                    }
                    if (message == null) {
                        refusedCall = true;
                        record(call);
                        call.close(Status.INVALID_ARGUMENT.withDescription("the request message of "
                                + call.getMethodDescriptor().getFullMethodName() + " does not parse"), new Metadata());
                        super.onCancel();
                        return;
                    }
                    super.onMessage(message);
                }

                @Override
                public void onHalfClose() {
                    if (!refusedCall) {
                        super.onHalfClose();
                    }
                }

                @Override
                public void onCancel() {
                    if (!refusedCall) {
                        super.onCancel();
                    }
                }

                @Override
                public void onComplete() {
                    if (!refusedCall) {
                        super.onComplete();
                    }
                }

                @Override
                public void onReady() {
                    if (!refusedCall) {
                        super.onReady();
                    }
                }
            };
        }
    }
}
