package dev.hydrant.api.convert;

import java.util.Set;

/** The v2 tags of a Timer named {@code http} that carry the fields of a v1 HttpStartStop. */
final class HttpTags {

    static final String TIMER_NAME = "http";
    static final String REQUEST_ID = "request_id";
    static final String PEER_TYPE = "peer_type";
    static final String METHOD = "method";
    static final String URI = "uri";
    static final String REMOTE_ADDRESS = "remote_address";
    static final String USER_AGENT = "user_agent";
    static final String STATUS_CODE = "status_code";
    static final String CONTENT_LENGTH = "content_length";
    static final String INSTANCE_INDEX = "instance_index";
    static final String INSTANCE_ID = "instance_id";
    /** The repeated v1 field, its values joined by line feeds. */
    static final String FORWARDED = "forwarded";
    static final String FORWARDED_SEPARATOR = "\n";

    static final Set<String> ALL = Set.of(REQUEST_ID, PEER_TYPE, METHOD, URI, REMOTE_ADDRESS, USER_AGENT,
            STATUS_CODE, CONTENT_LENGTH, INSTANCE_INDEX, INSTANCE_ID, FORWARDED);

    private HttpTags() {
    }
}
