package io.tlswatch.tlsrpt;

/**
 * One copy of each short value a report repeats (sending IPs, MX hosts, result types, reasons): looked
 * up straight from the parser's character buffer, so a repeated value costs no new String. A report
 * with 100,000 failure details typically names a few thousand distinct values; the table stops growing
 * at {@link #MAX_ENTRIES}, after which values are simply created.
 */
final class StringCache {

    static final int MAX_LENGTH = 128;
    private static final int MAX_ENTRIES = 1 << 16;

    private String[] table = new String[32]; // a typical report has a few dozen values; it grows for large ones
    private int size;

    /** Like {@link #get}, without sharing: for values that are unlikely to repeat. */
    static String trimmed(char[] chars, int offset, int length) {
        int start = offset;
        int end = offset + length;
        while (start < end && Character.isWhitespace(chars[start])) {
            start++;
        }
        while (end > start && Character.isWhitespace(chars[end - 1])) {
            end--;
        }
        return start == end ? null : new String(chars, start, end - start);
    }

    /** The value of {@code chars[offset, offset+length)} without surrounding whitespace; null when empty. */
    String get(char[] chars, int offset, int length) {
        int start = offset;
        int end = offset + length;
        while (start < end && Character.isWhitespace(chars[start])) {
            start++;
        }
        while (end > start && Character.isWhitespace(chars[end - 1])) {
            end--;
        }
        int n = end - start;
        if (n == 0) {
            return null;
        }
        if (n > MAX_LENGTH) {
            return new String(chars, start, n);
        }
        int hash = 0;
        for (int i = start; i < end; i++) {
            hash = 31 * hash + chars[i];
        }
        int mask = table.length - 1;
        int slot = (hash ^ (hash >>> 16)) & mask;
        String candidate;
        while ((candidate = table[slot]) != null) {
            if (candidate.length() == n && sameChars(candidate, chars, start)) {
                return candidate;
            }
            slot = (slot + 1) & mask;
        }
        String value = new String(chars, start, n);
        if (size < MAX_ENTRIES) {
            table[slot] = value;
            if (++size * 2 > table.length) {
                grow();
            }
        }
        return value;
    }

    private static boolean sameChars(String candidate, char[] chars, int start) {
        for (int i = 0; i < candidate.length(); i++) {
            if (candidate.charAt(i) != chars[start + i]) {
                return false;
            }
        }
        return true;
    }

    private void grow() {
        String[] old = table;
        table = new String[old.length * 2];
        int mask = table.length - 1;
        for (String value : old) {
            if (value != null) {
                int hash = value.hashCode(); // String.hashCode is the same 31-polynomial as above
                int slot = (hash ^ (hash >>> 16)) & mask;
                while (table[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                table[slot] = value;
            }
        }
    }
}
