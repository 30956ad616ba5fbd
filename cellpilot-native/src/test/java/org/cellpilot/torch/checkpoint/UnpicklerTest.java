package org.cellpilot.torch.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UnpicklerTest {
    /**
     * CPython 3 {@code pickle.dumps(d, protocol=4)} of {@code {'ints': [0, 255, 256, 65535, 65536, -1, -2**31,
     * 2**31, 2**63 - 1, 2**70, -2**70], 'float': 3.5, 'none': None, 'flags': (True, False), 'bytes': b'xy',
     * 'set': {1, 2}, 'str': 'hé', 'empty': (), 'nested': [[1], (2,)]}}}: FRAME, MEMOIZE, EMPTY_SET, ADDITEMS,
     * SHORT_BINUNICODE, SHORT_BINBYTES, LONG1 and the protocol-2 basics.
     */
    private static final String CPYTHON_PROTOCOL_4 = "800495bb000000000000007d94288c04696e7473945d94284b004bff4d00014dffff4a0000"
            + "01004affffffff4a000000808a0500000080008a08ffffffffffffff7f8a090000000000000000408a090000000000000000c0658c05"
            + "666c6f61749447400c0000000000008c046e6f6e65944e8c05666c61677394888986948c0562797465739443027879948c03736574"
            + "948f94284b014b02908c03737472948c0368c3a9948c05656d70747994298c066e6573746564945d94285d944b01614b0285946575"
            + "2e";

    private static Object load(byte[] pickle) {
        return Unpickler.load(pickle, (module, name) -> null, pid -> List.of("persisted", pid));
    }

    /** Bytes from ints and chars (one byte each) and strings (their UTF-8). */
    static byte[] pickle(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String) {
                out.writeBytes(((String) p).getBytes(StandardCharsets.UTF_8));
            } else {
                out.write(p instanceof Character ? (Character) p : ((Number) p).intValue());
            }
        }
        return out.toByteArray();
    }

    @Test
    void readsWhatCPythonWrites() {
        Map<?, ?> d = assertInstanceOf(Map.class, load(HexFormat.of().parseHex(CPYTHON_PROTOCOL_4)));
        BigInteger two70 = BigInteger.TWO.pow(70);
        assertEquals(Arrays.asList(0L, 255L, 256L, 65535L, 65536L, -1L, (long) Integer.MIN_VALUE, 1L << 31, Long.MAX_VALUE,
                two70, two70.negate()), d.get("ints"));
        assertEquals(3.5, d.get("float"));
        assertTrue(d.containsKey("none") && d.get("none") == null);
        assertEquals(List.of(true, false), d.get("flags"));
        assertArrayEquals("xy".getBytes(StandardCharsets.US_ASCII), (byte[]) d.get("bytes"));
        assertEquals(new LinkedHashSet<>(List.of(1L, 2L)), d.get("set"));
        assertEquals("hé", d.get("str"));
        assertEquals(List.of(), d.get("empty"));
        assertEquals(List.of(List.of(1L), List.of(2L)), d.get("nested"));
    }

    @Test
    void readsTheRestOfProtocol2() {
        Object v = load(pickle(0x80, 2, '(', // MARK for the tuple of everything
                '(', 'K', 1, 'K', 2, 'l', // LIST [1, 2]
                '(', 'U', 1, "k", 'T', 2, 0, 0, 0, "vv", 'd', // DICT {'k': 'vv'}
                'B', 2, 0, 0, 0, "ab", '0', // BINBYTES, POP
                '(', 'K', 9, '1', // MARK, POP_MARK
                'J', 0xfe, 0xff, 0xff, 0xff, '2', 0x86, // BININT -2, DUP, TUPLE2
                0x8b, 2, 0, 0, 0, 0x00, 0x01, // LONG4 256
                0x8a, 0, // LONG1 0
                'N', 0x88, 'G', 0xbf, 0xf0, 0, 0, 0, 0, 0, 0, // NONE, NEWTRUE, BINFLOAT -1.0
                'C', 1, "z", 0x8c, 3, "abc", // SHORT_BINBYTES, SHORT_BINUNICODE
                'K', 7, 'K', 8, 'K', 9, 0x87, 'Q', // TUPLE3 and BINPERSID
                't', '.'));
        List<?> all = assertInstanceOf(List.class, v);
        assertEquals(List.of(1L, 2L), all.get(0));
        assertEquals(Map.of("k", "vv"), all.get(1));
        assertEquals(List.of(-2L, -2L), all.get(2));
        assertEquals(256L, all.get(3));
        assertEquals(0L, all.get(4));
        assertEquals(Arrays.asList(null, true, -1.0), all.subList(5, 8));
        assertArrayEquals(new byte[] {'z'}, (byte[]) all.get(8));
        assertEquals("abc", all.get(9));
        assertEquals(List.of("persisted", List.of(7L, 8L, 9L)), all.get(10));
    }

    @Test
    void unknownNamesBecomeInertPlaceholdersThatRecordWhatTheyWereGiven() {
        // STACK_GLOBAL Foo.Bar, NEWOBJ(()), SETITEM, APPENDS, BUILD; then GLOBAL os.system REDUCE('rm -rf /').
        Object v = load(pickle(0x80, 2, '(', 0x8c, 3, "Foo", 0x8c, 3, "Bar", 0x93, ')', 0x81,
                0x8c, 1, "k", 'K', 1, 's', '(', 'K', 2, 'e', '}', 'b',
                'c', "os\nsystem\n", 0x8c, 8, "rm -rf /", 0x85, 'R', 'l', '.'));
        List<?> list = assertInstanceOf(List.class, v);
        Placeholder bar = assertInstanceOf(Placeholder.class, list.get(0));
        assertEquals("Foo.Bar", bar.name());
        assertTrue(bar.isCall());
        assertEquals(Map.of("k", 1L), bar.items());
        assertEquals(List.of(2L), bar.elements());
        assertEquals(Map.of(), bar.state());
        Placeholder system = assertInstanceOf(Placeholder.class, list.get(1));
        assertEquals("os.system", system.name());
        assertEquals(List.of("rm -rf /"), system.args());
        assertEquals("Placeholder(os.system, called with 1 args)", system.toString());
    }

    @Test
    void sharesMemoizedObjects() {
        Object v = load(pickle(0x80, 2, ']', 'q', 0, 'h', 0, 'r', 5, 0, 0, 0, 'j', 5, 0, 0, 0, 0x86, '.'));
        List<?> pair = (List<?>) v;
        assertTrue(pair.get(0) == pair.get(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "80 02 69", // INST: not protocol 2 for us
        "80 02 ff", // no such opcode
        "80 02 4b", // BININT1 without its byte
        "80 02 58 ff ff ff 7f 61", // BINUNICODE longer than the pickle
        "80 02 2e", // STOP on an empty stack
        "80 02 4e", // no STOP
        "80 02 74 2e", // TUPLE without MARK
        "80 02 28 30 74 2e", // POP_MARK leaves TUPLE without MARK... via POP of an empty marked stack
        "80 02 68 07 2e", // BINGET of nothing
        "80 02 4b 01 29 52 2e", // REDUCE on an int
        "80 02 29 4b 01 61 2e", // APPEND to a tuple
        "80 02 7d 5d 4b 01 73 2e", // a list as a dict key
        "80 02 7d 4b 01 75 2e", // SETITEMS without MARK
        "80 02 28 4b 01 64 2e", // DICT of an odd count
        "80 02 63 6f 73", // GLOBAL without newline
        "80 06 4e 2e", // protocol 6
        "80 02 4b 01 4e 62 2e" // BUILD on an int
    })
    void refusesMalformedPicklesWithTheOffset(String hex) {
        byte[] bytes = HexFormat.ofDelimiter(" ").parseHex(hex);
        CheckpointException e = assertThrows(CheckpointException.class, () -> load(bytes));
        assertTrue(e.getMessage().startsWith("pickle"), e.getMessage());
    }

    @Test
    void unsupportedOpcodeNamesItsByteAndOffset() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> load(pickle(0x80, 2, 'K', 1, 'i', '.')));
        assertEquals("pickle offset 4, opcode 0x69: unsupported opcode", e.getMessage());
    }

    @Test
    void hugeFlatStructuresStayLinear() {
        int n = 200_000;
        byte[] p = new byte[n * 2 + 4];
        p[0] = (byte) 0x80;
        p[1] = 2;
        p[2] = ']';
        for (int i = 0; i < n; i++) {
            p[3 + 2 * i] = '2'; // DUP, APPEND: the list holds itself n times
            p[4 + 2 * i] = 'a';
        }
        p[p.length - 1] = '.';
        Object v = load(p);
        assertEquals(n, ((List<?>) v).size());
        assertTrue(((List<?>) v).get(0) == v, "a list appended to itself is kept as a cycle, not walked");
    }
}
