package org.cellpilot.torch.checkpoint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON (RFC 8259) reader and writer for headers, case files and GeoJSON.
 *
 * <p>{@link #parse} returns {@link LinkedHashMap} (key order kept), {@link ArrayList}, {@link String},
 * {@link Long} (integers that fit), {@link Double} (everything else), {@link Boolean} and {@code null}. It refuses
 * what lenient parsers let through — trailing commas, comments, leading zeros, NaN, raw control characters in
 * strings, duplicate keys, trailing content — so that a corrupt file fails where it is corrupt. Errors are
 * {@link IllegalArgumentException}s that give the offset.
 */
public final class Json {
    /** Far deeper than any real document; it keeps a hostile one from overflowing the stack. */
    static final int MAX_DEPTH = 512;

    private final String text;
    private int pos;

    private Json(String text) {
        this.text = text;
    }

    public static Object parse(String text) {
        Json p = new Json(text);
        p.skipSpace();
        Object value = p.value(0);
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected content after the JSON value");
        }
        return value;
    }

    /** A JSON array of numbers as doubles; an error names what was found instead. */
    public static double[] doubles(Object array) {
        if (!(array instanceof List)) {
            throw new IllegalArgumentException("expected an array of numbers, got " + array);
        }
        List<?> list = (List<?>) array;
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(list.get(i) instanceof Number)) {
                throw new IllegalArgumentException("expected a number, got " + list.get(i));
            }
            out[i] = ((Number) list.get(i)).doubleValue();
        }
        return out;
    }

    /** A JSON array of number arrays (points, boxes) as rows of doubles; null stays null. */
    public static double[][] rows(Object array) {
        if (array == null) {
            return null;
        }
        if (!(array instanceof List)) {
            throw new IllegalArgumentException("expected an array of arrays, got " + array);
        }
        List<?> list = (List<?>) array;
        double[][] out = new double[list.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = doubles(list.get(i));
        }
        return out;
    }

    /** A JSON array of integers; null stays null. */
    public static int[] ints(Object array) {
        if (array == null) {
            return null;
        }
        double[] d = doubles(array);
        int[] out = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] != Math.rint(d[i])) {
                throw new IllegalArgumentException("expected an integer, got " + d[i]);
            }
            out[i] = (int) d[i];
        }
        return out;
    }

    /**
     * Compact JSON for maps (keys must be strings), collections, arrays of primitives or objects, strings,
     * numbers, booleans and {@code null}. Non-finite numbers are refused: JSON cannot hold them.
     */
    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.toString();
    }

    // ---- reading --------------------------------------------------------------------------------------------

    private Object value(int depth) {
        if (pos >= text.length()) {
            throw error("unexpected end of input");
        }
        char c = text.charAt(pos);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character " + quote(c));
        }
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw error("expected a string key");
            }
            int keyAt = pos;
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            if (map.containsKey(key)) {
                pos = keyAt;
                throw error("duplicate key \"" + key + "\"");
            }
            map.put(key, value(depth));
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect('}');
                return map;
            }
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        pos++;
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipSpace();
            list.add(value(depth));
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect(']');
                return list;
            }
        }
    }

    private String string() {
        int start = ++pos;
        // Most strings hold no escape: return a substring without building anything.
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                return text.substring(start, pos++);
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
            pos++;
        }
        StringBuilder sb = new StringBuilder(text.length() - start < 64 ? 16 : 64).append(text, start, pos);
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '"') {
                pos++;
                return sb.toString();
            }
            if (c < 0x20) {
                throw error("raw control character " + quote(c) + " in a string");
            }
            if (c != '\\') {
                sb.append(c);
                pos++;
                continue;
            }
            if (++pos >= text.length()) {
                break;
            }
            char e = text.charAt(pos++);
            switch (e) {
                case '"':
                case '\\':
                case '/':
                    sb.append(e);
                    break;
                case 'b':
                    sb.append('\b');
                    break;
                case 'f':
                    sb.append('\f');
                    break;
                case 'n':
                    sb.append('\n');
                    break;
                case 'r':
                    sb.append('\r');
                    break;
                case 't':
                    sb.append('\t');
                    break;
                case 'u':
                    sb.append(hex4());
                    break;
                default:
                    pos--;
                    throw error("invalid escape \\" + e);
            }
        }
        throw error("unterminated string");
    }

    private char hex4() {
        if (pos + 4 > text.length()) {
            throw error("truncated \\u escape");
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(text.charAt(pos), 16);
            if (d < 0) {
                throw error("invalid hex digit " + quote(text.charAt(pos)) + " in \\u escape");
            }
            v = v << 4 | d;
            pos++;
        }
        return (char) v;
    }

    private Object number() {
        int start = pos;
        boolean negative = peek() == '-';
        if (negative) {
            pos++;
        }
        int intStart = pos;
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw error("expected a digit");
        }
        int intEnd = pos;
        boolean integral = true;
        if (peek() == '.') {
            pos++;
            integral = false;
            if (!digits()) {
                throw error("expected a digit after the decimal point");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            integral = false;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!digits()) {
                throw error("expected a digit in the exponent");
            }
        }
        // Up to 18 digits cannot overflow a long: the common case, done without a substring.
        if (integral && intEnd - intStart <= 18) {
            long v = 0;
            for (int i = intStart; i < intEnd; i++) {
                v = v * 10 + (text.charAt(i) - '0');
            }
            return negative ? -v : v;
        }
        String s = text.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException tooLarge) {
                // Beyond a long it becomes a double, as in JavaScript, rather than failing.
                return Double.parseDouble(s);
            }
        }
        return Double.parseDouble(s);
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
        return pos > start;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, pos)) {
            throw error("unexpected character " + quote(text.charAt(pos)));
        }
        pos += word.length();
        return value;
    }

    private void skipSpace() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return;
            }
            pos++;
        }
    }

    /** The next character, or 0 at the end (0 never starts a valid token, so it fails every test). */
    private char peek() {
        return pos < text.length() ? text.charAt(pos) : 0;
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error(pos >= text.length() ? "unexpected end of input, expected '" + c + "'"
                    : "expected '" + c + "', found " + quote(text.charAt(pos)));
        }
        pos++;
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH);
        }
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException("JSON: " + message + " at offset " + pos);
    }

    private static String quote(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    // ---- writing --------------------------------------------------------------------------------------------

    private static void write(StringBuilder out, Object v, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("JSON: nesting deeper than " + MAX_DEPTH + " (a cycle?)");
        }
        if (v == null || v instanceof Boolean) {
            out.append(v);
        } else if (v instanceof String) {
            writeString(out, (String) v);
        } else if (v instanceof Number) {
            writeNumber(out, (Number) v);
        } else if (v instanceof Map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException("JSON: object keys must be strings, got " + e.getKey());
                }
                out.append(first ? "" : ",");
                first = false;
                writeString(out, (String) e.getKey());
                out.append(':');
                write(out, e.getValue(), depth + 1);
            }
            out.append('}');
        } else if (v instanceof Collection) {
            writeArray(out, ((Collection<?>) v).toArray(), depth);
        } else if (v instanceof Object[]) {
            writeArray(out, (Object[]) v, depth);
        } else if (v.getClass().isArray()) {
            int n = java.lang.reflect.Array.getLength(v);
            Object[] boxed = new Object[n];
            for (int i = 0; i < n; i++) {
                boxed[i] = java.lang.reflect.Array.get(v, i);
            }
            writeArray(out, boxed, depth);
        } else {
            throw new IllegalArgumentException("JSON: cannot write a " + v.getClass().getName());
        }
    }

    private static void writeArray(StringBuilder out, Object[] items, int depth) {
        out.append('[');
        for (int i = 0; i < items.length; i++) {
            out.append(i == 0 ? "" : ",");
            write(out, items[i], depth + 1);
        }
        out.append(']');
    }

    private static void writeNumber(StringBuilder out, Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON: cannot write the non-finite number " + n);
            }
        }
        // Float's own toString is the shortest text that reads back as the same float.
        out.append(n instanceof Float ? Float.toString(n.floatValue()) : n.toString());
    }

    private static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }
}
