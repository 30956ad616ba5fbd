package org.cellpilot.torch.checkpoint;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Emits the protocol-2 pickle opcodes that a torch state dict needs, the way CPython's pickler encodes them. */
final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleWriter() {
        out.write(0x80); // PROTO
        out.write(2);
    }

    PickleWriter op(int opcode) {
        out.write(opcode);
        return this;
    }

    PickleWriter global(String module, String name) {
        out.write('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    PickleWriter string(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.write('X'); // BINUNICODE
        le(utf8.length, 4);
        out.writeBytes(utf8);
        return this;
    }

    /** The shortest of BININT1, BININT2, BININT and LONG1, as CPython chooses. */
    PickleWriter integer(long v) {
        if (v >= 0 && v < 1 << 8) {
            out.write('K');
            le(v, 1);
        } else if (v >= 0 && v < 1 << 16) {
            out.write('M');
            le(v, 2);
        } else if (v == (int) v) {
            out.write('J');
            le(v, 4);
        } else {
            out.write(0x8a); // LONG1, 8 bytes of two's complement
            out.write(8);
            le(v, 8);
        }
        return this;
    }

    PickleWriter tuple(long[] values) {
        if (values.length == 0) {
            return op(')'); // EMPTY_TUPLE
        }
        op('(');
        for (long v : values) {
            integer(v);
        }
        return op('t');
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    private void le(long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }
}
