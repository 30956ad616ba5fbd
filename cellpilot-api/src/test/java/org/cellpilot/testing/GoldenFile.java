package org.cellpilot.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only readers for the golden data: safetensors and JSON. A stand-in until the main readers
 * (org.cellpilot.torch.checkpoint) land; it trusts its input and checks little.
 */
public final class GoldenFile {
    private GoldenFile() {}

    /** The shared folder: {@code -Dcellpilot.shared}, else {@code ../shared} from the module. */
    public static Path shared() {
        return Path.of(System.getProperty("cellpilot.shared", "../shared"));
    }

    /** One stored tensor: its safetensors dtype name ("F32", "I32", …), shape and little-endian bytes. */
    public record Entry(String dtype, long[] shape, ByteBuffer data) {
        public float[] floats() {
            float[] out = new float[data.remaining() / 4];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }

        public int[] ints() {
            int[] out = new int[data.remaining() / 4];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
            return out;
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Entry> safetensors(Path file) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Math.toIntExact(all.getLong(0));
        String header = new String(all.array(), 8, headerLength, StandardCharsets.UTF_8);
        Map<String, Entry> out = new LinkedHashMap<>();
        ((Map<String, Object>) json(header)).forEach((name, value) -> {
            if (name.equals("__metadata__")) {
                return;
            }
            Map<String, Object> info = (Map<String, Object>) value;
            List<Object> offsets = (List<Object>) info.get("data_offsets");
            int begin = 8 + headerLength + ((Number) offsets.get(0)).intValue();
            int end = 8 + headerLength + ((Number) offsets.get(1)).intValue();
            long[] shape = ((List<Object>) info.get("shape")).stream().mapToLong(d -> ((Number) d).longValue()).toArray();
            out.put(name, new Entry((String) info.get("dtype"), shape, all.slice(begin, end - begin)));
        });
        return out;
    }

    /** Parses JSON into maps (insertion-ordered), lists, doubles, strings, booleans and nulls. */
    public static Object json(String text) {
        return new JsonParser(text).value();
    }

    private static final class JsonParser {
        private final String s;
        private int i;

        JsonParser(String s) {
            this.s = s;
        }

        Object value() {
            skip();
            char c = s.charAt(i);
            if (c == '{' || c == '[') {
                i++;
                Map<String, Object> map = new LinkedHashMap<>();
                List<Object> list = new ArrayList<>();
                while (!next(c == '{' ? '}' : ']')) {
                    if (c == '{') {
                        String key = string();
                        next(':');
                        map.put(key, value());
                    } else {
                        list.add(value());
                    }
                    next(',');
                }
                return c == '{' ? map : list;
            }
            if (c == '"') {
                return string();
            }
            if (c == 't' || c == 'f' || c == 'n') {
                i += c == 'f' ? 5 : 4;
                return c == 'n' ? null : Boolean.valueOf(c == 't');
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            return Double.parseDouble(s.substring(start, i));
        }

        private boolean next(char c) {
            skip();
            boolean found = s.charAt(i) == c;
            i += found ? 1 : 0;
            return found;
        }

        /** Only the escapes the golden files use: quote, backslash and unicode. */
        private String string() {
            skip();
            StringBuilder out = new StringBuilder();
            for (i++; s.charAt(i) != '"'; i++) {
                char c = s.charAt(i);
                if (c == '\\' && s.charAt(++i) == 'u') {
                    out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                } else {
                    out.append(s.charAt(i));
                }
            }
            i++;
            return out.toString();
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
