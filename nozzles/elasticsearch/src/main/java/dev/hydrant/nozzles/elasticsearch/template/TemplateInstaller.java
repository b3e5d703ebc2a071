package dev.hydrant.nozzles.elasticsearch.template;

import dev.hydrant.nozzles.elasticsearch.http.ClusterClient;
import dev.hydrant.nozzles.elasticsearch.http.ClusterError;
import dev.hydrant.nozzles.elasticsearch.http.ClusterStatus;
import java.net.http.HttpResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the index template before the first document is sent: tried at start, then before each batch until
 * it succeeds (the nozzle SDK's retry paces the attempts; batches wait in its buffer meanwhile). A failure is
 * one log line per kind through {@link ClusterStatus} and turns the health DOWN.
 */
public final class TemplateInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(TemplateInstaller.class);

    private final ClusterClient client;
    private final ClusterStatus status;
    private final String name;
    private final String body;
    private final String what;
    private volatile boolean installed;

    public TemplateInstaller(ClusterClient client, ClusterStatus status, String name, String body) {
        this.client = client;
        this.status = status;
        this.name = name;
        this.body = body;
        this.what = "installing the index template " + name;
    }

    /** True once the template is in place; otherwise tries (once) to put it there. */
    public synchronized boolean ensureInstalled() {
        if (installed) {
            return true;
        }
        try {
            HttpResponse<String> answer = client.send("PUT", "_index_template/" + name, body);
            if (answer.statusCode() / 100 == 2) {
                installed = true;
                status.succeeded();
                LOG.info("Installed the index template {} at {}", name, status.cluster());
            } else {
                status.failed(what, ClusterError.ofStatus(answer.statusCode(), answer.body()), true);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            status.failed(what, ClusterError.of(e), true);
        }
        return installed;
    }

    public boolean installed() {
        return installed;
    }

    public String name() {
        return name;
    }
}
