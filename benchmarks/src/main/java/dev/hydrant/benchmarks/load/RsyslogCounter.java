package dev.hydrant.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real rsyslog ({@code rsyslogd -n}, Debian's {@code rsyslog} package) for the drain benchmark: TCP on a free
 * port (octet-counted framing, RFC 6587), a large in-memory main queue, and each message it parses written out as
 * the two bytes {@code "x\n"}, so that the count of messages received is the output file's size over two, read at
 * any moment without parsing the file.
 */
final class RsyslogCounter implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final int port;

    RsyslogCounter(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path portFile = dir.resolve("port");
        this.output = dir.resolve("received");
        String config = "global(workDirectory=\"" + dir + "\")\n"
                + "module(load=\"imtcp\")\n"
                + "main_queue(queue.type=\"LinkedList\" queue.size=\"500000\" queue.dequeueBatchSize=\"2048\")\n"
                + "input(type=\"imtcp\" port=\"0\" listenPortFileName=\"" + portFile + "\")\n"
                + "template(name=\"one\" type=\"string\" string=\"x\\n\")\n"
                + "action(type=\"omfile\" file=\"" + output + "\" template=\"one\" asyncWriting=\"on\""
                + " ioBufferSize=\"256k\" flushInterval=\"1\" flushOnTXEnd=\"off\")\n";
        Path conf = Files.writeString(dir.resolve("rsyslog.conf"), config);
        String binary = Files.isExecutable(Path.of("/usr/sbin/rsyslogd")) ? "/usr/sbin/rsyslogd" : "rsyslogd";
        process = new ProcessBuilder(binary, "-n", "-f", conf.toString(), "-i", dir.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("rsyslogd.out").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(portFile) || Files.readString(portFile).isBlank()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("rsyslogd did not start: " + Files.readString(dir.resolve("rsyslogd.out")));
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        this.port = Integer.parseInt(Files.readString(portFile).trim());
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Messages rsyslog has written out so far (its file is written at least once a second). */
    long received() {
        try {
            return Files.exists(output) ? Files.size(output) / 2 : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
