package dev.hydrant.standalone.shipper;

import com.google.protobuf.ByteString;
import java.util.Objects;
import org.cloudfoundry.loggregator.v2.Envelope;
import org.cloudfoundry.loggregator.v2.Log;

/**
 * Who a shipped line belongs to, as a Cloud Foundry cell labels an app's output: the app's id as
 * {@code source_id}, the instance index as {@code instance_id}, and the v1 source type in
 * {@code tags["source_type"]}.
 *
 * @param sourceId   the app id
 * @param instanceId the instance index
 * @param sourceType e.g. {@code APP/PROC/WEB}
 */
public record AppInstance(String sourceId, String instanceId, String sourceType) {

    /** The source type of an app's web process. */
    public static final String APP_SOURCE_TYPE = "APP/PROC/WEB";
    /** The source type Loggregator uses for its own messages to an app, such as loss notices. */
    public static final String LOGGREGATOR_SOURCE_TYPE = "LGR";

    public AppInstance {
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(sourceType, "sourceType");
        if (sourceId.isBlank()) {
            throw new IllegalArgumentException("the source id must not be blank");
        }
    }

    /** One line of output as a v2 Log envelope. */
    public Envelope log(ByteString payload, Log.Type type, long timestampNanos) {
        return log(payload, type, timestampNanos, sourceType);
    }

    /** A message from the shipper itself to the app's log, labelled {@value #LOGGREGATOR_SOURCE_TYPE}. */
    public Envelope notice(String text, long timestampNanos) {
        return log(ByteString.copyFromUtf8(text), Log.Type.ERR, timestampNanos, LOGGREGATOR_SOURCE_TYPE);
    }

    private Envelope log(ByteString payload, Log.Type type, long timestampNanos, String tag) {
        return Envelope.newBuilder()
                .setTimestamp(timestampNanos)
                .setSourceId(sourceId)
                .setInstanceId(instanceId)
                .putTags("source_type", tag)
                .setLog(Log.newBuilder().setPayload(payload).setType(type))
                .build();
    }
}
