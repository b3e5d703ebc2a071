package dev.hydrant.benchmarks.load;

import java.util.List;
import java.util.Locale;

/**
 * The soak's memory criterion for one process: the mean resident set of the last ten samples is
 * within {@link #TOLERANCE} of the mean of samples 11 to 20 (with one sample a minute: the last
 * ten minutes against minutes 10 to 20). Fewer than {@link #MIN_SAMPLES} samples give no verdict.
 *
 * @param referenceMb mean of samples 11-20, MiB
 * @param finalMb     mean of the last 10 samples, MiB
 * @param samples     how many samples there were
 */
record RssFlatness(double referenceMb, double finalMb, int samples) {

    static final double TOLERANCE = 0.05;
    static final int WINDOW = 10;
    /** The reference window and a final window that does not overlap it. */
    static final int MIN_SAMPLES = 3 * WINDOW;

    static RssFlatness of(List<Long> rssMb) {
        int n = rssMb.size();
        if (n < MIN_SAMPLES) {
            return new RssFlatness(Double.NaN, Double.NaN, n);
        }
        return new RssFlatness(mean(rssMb.subList(WINDOW, 2 * WINDOW)), mean(rssMb.subList(n - WINDOW, n)), n);
    }

    private static double mean(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).average().orElse(Double.NaN);
    }

    boolean decided() {
        return samples >= MIN_SAMPLES;
    }

    /** (final - reference) / reference. */
    double change() {
        return (finalMb - referenceMb) / referenceMb;
    }

    boolean pass() {
        return decided() && Math.abs(change()) <= TOLERANCE;
    }

    String verdict() {
        if (!decided()) {
            return "no verdict (" + samples + " samples, " + MIN_SAMPLES + " needed)";
        }
        return String.format(Locale.ROOT, "%s: %.1f -> %.1f MiB (%+.2f %%)", pass() ? "PASS" : "FAIL",
                referenceMb, finalMb, 100 * change());
    }
}
