package org.cellpilot.torch.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {
    @Test
    void parsesEveryKindOfValue() {
        Object v = Json.parse(" {\"a\": [1, -2, 3.5, -0.25e2, 1E3, true, false, null], \"b\": {}, \"c\": [],"
                + " \"s\": \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\", \"big\": 12345678901234567890} ");
        Map<?, ?> m = assertInstanceOf(LinkedHashMap.class, v);
        assertEquals(List.of("a", "b", "c", "s", "big"), List.copyOf(m.keySet()));
        assertEquals(Arrays.asList(1L, -2L, 3.5, -25.0, 1000.0, true, false, null), m.get("a"));
        assertEquals(Map.of(), m.get("b"));
        assertEquals(List.of(), m.get("c"));
        assertEquals("q\"\\/\b\f\n\r\té😀", m.get("s"));
        assertEquals(1.2345678901234567e19, m.get("big"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertNull(Json.parse("null"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "[1,]", "{\"a\":1,}", "{'a':1}", "01", "1.", ".5", "-", "1e", "+1", "NaN",
            "tru", "nul", "\"abc", "\"\\x\"", "\"\\u12g4\"", "\"a\nb\"", "{\"a\" 1}", "{\"a\":1 \"b\":2}", "[1 2]",
            "{\"a\":1,\"a\":2}", "1 2", "// c\n1", "[1]x", "{1:2}"})
    void refusesWhatIsNotStrictJson(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
        assertTrue(e.getMessage().startsWith("JSON: ") && e.getMessage().contains(" at offset "), e.getMessage());
    }

    @Test
    void boundsNestingInsteadOfOverflowingTheStack() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Json.parse(deep)).getMessage().contains("nesting"));
        String ok = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertInstanceOf(List.class, Json.parse(ok));
    }

    @Test
    void writesCompactJsonThatParsesBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "tab\there \"q\" \u0001 é");
        m.put("ints", new long[] {1, -2});
        m.put("floats", new float[] {0.1f, 2.5f});
        m.put("doubles", List.of(1e-7, 3.0));
        m.put("nested", List.of(Map.of("k", true), Arrays.asList(null, 1)));
        m.put("array", new Object[] {"x", 2});
        String text = Json.write(m);
        assertEquals("{\"name\":\"tab\\there \\\"q\\\" \\u0001 é\",\"ints\":[1,-2],\"floats\":[0.1,2.5],"
                + "\"doubles\":[1.0E-7,3.0],\"nested\":[{\"k\":true},[null,1]],\"array\":[\"x\",2]}", text);
        Map<?, ?> back = (Map<?, ?>) Json.parse(text);
        assertEquals(m.get("name"), back.get("name"));
        assertEquals(List.of(0.1, 2.5), back.get("floats"));
        assertEquals(List.of(1e-7, 3.0), back.get("doubles"));
    }

    @Test
    void writeRefusesWhatJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        List<Object> cycle = new java.util.ArrayList<>();
        cycle.add(cycle);
        assertThrows(IllegalArgumentException.class, () -> Json.write(cycle));
    }
}
