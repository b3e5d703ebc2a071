package dev.hydrant.api.convert;

/** Decimal integers in tag values, read without a regex and without throwing. */
final class DecimalText {

    private DecimalText() {
    }

    static boolean isInt(String text) {
        if (!looksNumeric(text) || text.length() > 11) {
            return false;
        }
        long value = Long.parseLong(text);
        return value == (int) value;
    }

    static int parseInt(String text, int fallback) {
        return isInt(text) ? Integer.parseInt(text) : fallback;
    }

    static long parseLong(String text, long fallback) {
        if (!looksNumeric(text) || text.length() > 20) {
            return fallback;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            return fallback;
        }
    }

    /** An optional minus and at least one ASCII digit, checked without a regex or an exception. */
    private static boolean looksNumeric(String text) {
        if (text == null || text.isEmpty()) {
            return false;
        }
        int first = text.charAt(0) == '-' ? 1 : 0;
        if (first == text.length()) {
            return false;
        }
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
