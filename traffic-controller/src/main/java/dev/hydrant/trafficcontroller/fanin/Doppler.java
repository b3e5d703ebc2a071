package dev.hydrant.trafficcontroller.fanin;

import io.grpc.ManagedChannel;
import java.net.InetSocketAddress;

/**
 * One Doppler the Traffic Controller talks to: its address and the mutual-TLS channel to it.
 *
 * @param address resolved address
 * @param channel shared by every subscription and read towards this Doppler
 */
public record Doppler(InetSocketAddress address, ManagedChannel channel) {
}
