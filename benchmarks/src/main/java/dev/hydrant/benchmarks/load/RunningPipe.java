package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The running components a run targets instead of starting its own: where to send and read, where
 * their Prometheus endpoints are, their process ids on this machine (for CPU and memory from
 * {@code /proc}), and how to be an admin of the Traffic Controller. Every address must be on the
 * loopback interface unless {@code allowRemote} says the operator means another host.
 *
 * @param metron               host:port of a running Metron's v2 ingress, or null
 * @param doppler              host:port of a running Doppler's gRPC server, or null
 * @param trafficController    base URI of a running Traffic Controller's public HTTP server, or null
 * @param certsDir             holds ca.crt, load-harness.crt and load-harness.key (a client certificate their CA
 *                             trusts), needed to reach Metron or Doppler
 * @param metronMetrics        Prometheus URI of the Metron, or null
 * @param dopplerMetrics       Prometheus URI of the Doppler, or null
 * @param trafficControllerMetrics Prometheus URI of the Traffic Controller, or null
 * @param metronPid            the Metron's process id on this machine, or null
 * @param dopplerPid           the Doppler's process id, or null
 * @param trafficControllerPid the Traffic Controller's process id, or null
 * @param tokenFile            a file holding a bearer token with scope doppler.firehose, or null
 * @param tokenSigningKey      a PEM PKCS#8 RSA private key whose public half the Traffic Controller trusts,
 *                             to sign such a token with, or null
 * @param allowRemote          whether targets may be on other hosts
 */
record RunningPipe(String metron, String doppler, URI trafficController, Path certsDir, URI metronMetrics,
                   URI dopplerMetrics, URI trafficControllerMetrics, Long metronPid, Long dopplerPid,
                   Long trafficControllerPid, Path tokenFile, Path tokenSigningKey, boolean allowRemote) {

    /** Nothing targeted: the harness starts the components. */
    static final RunningPipe NONE = new RunningPipe(null, null, null, null, null, null, null, null, null, null,
            null, null, false);

    RunningPipe {
        if (metron != null) {
            checkHost("--metron", hostOf(metron), allowRemote);
        }
        if (doppler != null) {
            checkHost("--doppler", hostOf(doppler), allowRemote);
        }
        if (trafficController != null) {
            check(trafficController.getHost() != null && ("http".equals(trafficController.getScheme())
                    || "https".equals(trafficController.getScheme())), "--traffic-controller",
                    "must be an http:// or https:// URL");
            checkHost("--traffic-controller", trafficController.getHost(), allowRemote);
            check(tokenFile != null || tokenSigningKey != null, "--token-file",
                    "or --token-signing-key is required with --traffic-controller");
        }
        check(tokenFile == null || tokenSigningKey == null, "--token-file", "and --token-signing-key exclude each other");
        checkMetrics("--metron-metrics", metronMetrics, allowRemote);
        checkMetrics("--doppler-metrics", dopplerMetrics, allowRemote);
        checkMetrics("--tc-metrics", trafficControllerMetrics, allowRemote);
        checkPid("--metron-pid", metronPid);
        checkPid("--doppler-pid", dopplerPid);
        checkPid("--tc-pid", trafficControllerPid);
    }

    /** Whether any component is targeted (then none is started). */
    boolean targetsAny() {
        return metron != null || doppler != null || trafficController != null;
    }

    /** Whether anything about running components was given (addresses, endpoints, pids, certificates, token). */
    boolean mentionsAny() {
        return targetsAny() || certsDir != null || metronMetrics != null || dopplerMetrics != null
                || trafficControllerMetrics != null || metronPid != null || dopplerPid != null
                || trafficControllerPid != null || tokenFile != null || tokenSigningKey != null;
    }

    /** The admin token: read from {@code tokenFile} (a leading "bearer " dropped), signed with the key, or null. */
    String adminToken() throws IOException {
        if (tokenFile != null) {
            String token = Files.readString(tokenFile, StandardCharsets.US_ASCII).trim();
            return token.regionMatches(true, 0, "bearer ", 0, 7) ? token.substring(7).trim() : token;
        }
        return tokenSigningKey == null ? null : AdminToken.signWith(tokenSigningKey);
    }

    /** The components named (by address, endpoint or pid), as the harness measures them. */
    List<Hop> hops() {
        List<Hop> hops = new ArrayList<>();
        if (metron != null || metronMetrics != null || metronPid != null) {
            hops.add(Hop.running("metron", metronMetrics, metronPid));
        }
        if (doppler != null || dopplerMetrics != null || dopplerPid != null) {
            hops.add(Hop.running("doppler", dopplerMetrics, dopplerPid));
        }
        if (trafficController != null || trafficControllerMetrics != null || trafficControllerPid != null) {
            hops.add(Hop.running("traffic_controller", trafficControllerMetrics, trafficControllerPid));
        }
        return hops;
    }

    static String hostOf(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        check(colon > 0 && colon < hostPort.length() - 1, hostPort, "is not host:port");
        String host = hostPort.substring(0, colon);
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static void checkMetrics(String option, URI uri, boolean allowRemote) {
        if (uri != null) {
            check(uri.getHost() != null, option, "must be a URL with a host");
            checkHost(option, uri.getHost(), allowRemote);
        }
    }

    private static void checkPid(String option, Long pid) {
        check(pid == null || pid > 0, option, "must be a process id");
        check(pid == null || ProcessHandle.of(pid).isPresent(), option, pid + " is not a process on this machine");
    }

    private static void checkHost(String option, String host, boolean allowRemote) {
        if (allowRemote) {
            return;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                check(address.isLoopbackAddress(), option, host + " is not a loopback address; the harness"
                        + " loads only this machine unless --allow-remote is given");
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(option + ": unknown host " + host, e);
        }
    }

    private static void check(boolean ok, String option, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(option + " " + problem);
        }
    }
}
