package dev.hydrant.nozzle.client;

import dev.hydrant.nozzle.auth.TokenProvider;
import java.net.URI;
import reactor.netty.http.client.HttpClient;

/** The settings a {@link HydrantClient.Builder} collects. */
record ClientSettings(URI baseUrl, Transport transport, TokenProvider tokens, GrpcSettings grpc,
                      ReconnectPolicy reconnect, ConnectionListener listener, HttpClient http, HttpTls tls,
                      boolean failFast) {

    static ClientSettings defaults() {
        return new ClientSettings(URI.create("http://localhost:8081"), Transport.SSE, TokenProvider.none(), null,
                ReconnectPolicy.defaults(), ConnectionListener.none(), HttpClient.create(), new HttpTls(null, null, null),
                false);
    }

    ClientSettings withBaseUrl(URI value) {
        return new ClientSettings(value, transport, tokens, grpc, reconnect, listener, http, tls, failFast);
    }

    ClientSettings withTransport(Transport value) {
        return new ClientSettings(baseUrl, value, tokens, grpc, reconnect, listener, http, tls, failFast);
    }

    ClientSettings withTokens(TokenProvider value) {
        return new ClientSettings(baseUrl, transport, value, grpc, reconnect, listener, http, tls, failFast);
    }

    ClientSettings withGrpc(GrpcSettings value) {
        return new ClientSettings(baseUrl, transport, tokens, value, reconnect, listener, http, tls, failFast);
    }

    ClientSettings withReconnect(ReconnectPolicy value) {
        return new ClientSettings(baseUrl, transport, tokens, grpc, value, listener, http, tls, failFast);
    }

    ClientSettings withListener(ConnectionListener value) {
        return new ClientSettings(baseUrl, transport, tokens, grpc, reconnect, value, http, tls, failFast);
    }

    ClientSettings withHttp(HttpClient value) {
        return new ClientSettings(baseUrl, transport, tokens, grpc, reconnect, listener, value, tls, failFast);
    }

    ClientSettings withTls(HttpTls value) {
        return new ClientSettings(baseUrl, transport, tokens, grpc, reconnect, listener, http, value, failFast);
    }

    ClientSettings withFailFast(boolean value) {
        return new ClientSettings(baseUrl, transport, tokens, grpc, reconnect, listener, http, tls, value);
    }

    boolean https() {
        return "https".equals(baseUrl.getScheme());
    }
}
