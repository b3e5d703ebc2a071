package dev.hydrant.nozzles.syslog.format;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A double as Go's {@code strconv.FormatFloat(v, 'g', -1, 64)} writes it, which is how Loggregator writes a
 * gauge value: the fewest digits that read back as the same double, in plain notation when the decimal
 * exponent is from -4 to 5 and as {@code d.ddde±XX} (two exponent digits at least) otherwise:
 * {@code 0.25}, {@code 123456}, {@code 1.234567e+06}, {@code 1.234e-06}.
 */
final class GoFloat {

    private static final int MAX_DIGITS = 17;
    private static final int SHORTEST_EXPONENT_LIMIT = 6;

    private GoFloat() {
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == 0) {
            return (1 / value) < 0 ? "-0" : "0";
        }
        BigDecimal shortest = shortest(Math.abs(value));
        String digits = shortest.unscaledValue().toString();
        int exponent = digits.length() - 1 - shortest.scale();
        StringBuilder out = new StringBuilder(24);
        if (value < 0) {
            out.append('-');
        }
        if (exponent < -4 || exponent >= SHORTEST_EXPONENT_LIMIT) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                out.append('0');
            }
            return out.append(magnitude).toString();
        }
        return out.append(shortest.toPlainString()).toString();
    }

    /** The fewest significant digits that read back as {@code value}, nearest to it. */
    private static BigDecimal shortest(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision < MAX_DIGITS; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == value) {
                return candidate.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(MAX_DIGITS, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }
}
