package dev.hydrant.metron.containers;

/**
 * What one reading of a container's files says.
 *
 * @param cpuMicros   CPU time used so far, microseconds (cumulative)
 * @param memoryBytes memory in use now
 * @param memoryQuota the memory limit; the host's memory when there is none
 * @param diskBytes   bytes used on the container's filesystem
 * @param diskQuota   that filesystem's size
 */
public record ContainerUsage(long cpuMicros, long memoryBytes, long memoryQuota, long diskBytes, long diskQuota) {
}
