package dev.hydrant.cli.command;

import dev.hydrant.nozzle.client.Transport;

/** How the streaming commands read: the v1 websocket (the default, as cf logs) or v2 server-sent events. */
enum Via {
    /** {@code /apps/{id}/stream} and {@code /firehose/{sub}}: answers 401 without a token, 404 for an app refused. */
    WEBSOCKET(Transport.WEBSOCKET),
    /** {@code /v2/read}: carries v2 events too; answers every refusal with 404. */
    SSE(Transport.SSE);

    private final Transport transport;

    Via(Transport transport) {
        this.transport = transport;
    }

    Transport transport() {
        return transport;
    }
}
