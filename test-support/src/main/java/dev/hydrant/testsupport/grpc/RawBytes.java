package dev.hydrant.testsupport.grpc;

import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** A marshaller of raw bytes, for tests that send what a generated stub would never send. */
public final class RawBytes implements MethodDescriptor.Marshaller<byte[]> {

    /** {@code method} with raw bytes for its request and response. */
    public static <Q, R> MethodDescriptor<byte[], byte[]> of(MethodDescriptor<Q, R> method) {
        return method.toBuilder(new RawBytes(), new RawBytes()).build();
    }

    @Override
    public InputStream stream(byte[] value) {
        return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
        try {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
