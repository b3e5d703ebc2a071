package dev.hydrant.trafficcontroller.fanin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

/** A transport has room until a batch's bound waits in it unwritten; each message released makes room. */
class TransportBytesTest {

    @Test
    void messagesHandedOverAndNotYetReleased_fillTheRoom_aReleaseFreesItAndSaysSo() {
        TransportBytes transport = new TransportBytes();
        AtomicInteger told = new AtomicInteger();
        transport.onWritten(told::incrementAndGet);
        assertThat(transport.hasRoom()).isTrue();

        DataBuffer first = transport.track(new byte[(int) TransportBytes.LIMIT / 2]);
        assertThat(transport.hasRoom()).isTrue();
        DataBuffer second = transport.track(new byte[(int) TransportBytes.LIMIT / 2]);
        assertThat(transport.hasRoom()).isFalse();
        assertThat(transport.unwritten()).isEqualTo(TransportBytes.LIMIT);
        assertThat(second.readableByteCount()).isEqualTo((int) TransportBytes.LIMIT / 2);

        DataBufferUtils.release(first);

        assertThat(transport.hasRoom()).isTrue();
        assertThat(transport.unwritten()).isEqualTo(TransportBytes.LIMIT / 2);
        assertThat(told).hasValue(1);
        DataBufferUtils.release(second);
        assertThat(transport.unwritten()).isZero();
    }
}
