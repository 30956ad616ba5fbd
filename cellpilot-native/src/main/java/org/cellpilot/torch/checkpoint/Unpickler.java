package org.cellpilot.torch.checkpoint;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A pickle virtual machine that builds data and never runs code. It knows the opcodes of protocol 2 (plus
 * FRAME, MEMOIZE and STACK_GLOBAL) and refuses every other one. A GLOBAL is looked up in a fixed table given by
 * the caller; a name outside it becomes an inert {@link Placeholder}.
 *
 * <p>Results: dict → {@link LinkedHashMap}, list → {@link ArrayList}, tuple → unmodifiable {@link List}, set →
 * {@link LinkedHashSet}, str → {@link String}, bytes → {@code byte[]}, int → {@link Long} (or {@link BigInteger}
 * beyond 64 bits), float → {@link Double}, bool → {@link Boolean}, None → null. Work and memory grow linearly
 * with the input, whatever it holds.
 */
final class Unpickler {
    /** A callable that the caller's table maps a global to: it builds data from its arguments, nothing else. */
    interface Callable {
        Object call(List<Object> args);
    }

    private final byte[] data;
    private final BiFunction<String, String, Object> globals;
    private final Function<Object, Object> persistentLoad;
    private final List<Object> stack = new ArrayList<>();
    /** Stack heights at each open MARK; items below the innermost one are out of reach, as in CPython. */
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private int pos;

    private Unpickler(byte[] data, BiFunction<String, String, Object> globals, Function<Object, Object> persistentLoad) {
        this.data = data;
        this.globals = globals;
        this.persistentLoad = persistentLoad;
    }

    /**
     * Runs {@code data} to its STOP. {@code globals} maps (module, name) to a {@link Callable} or a value, or to null
     * for a name to keep as a placeholder; {@code persistentLoad} resolves BINPERSID ids.
     */
    static Object load(byte[] data, BiFunction<String, String, Object> globals, Function<Object, Object> persistentLoad) {
        return new Unpickler(data, globals, persistentLoad).run();
    }

    private Object run() {
        while (pos < data.length) {
            int at = pos;
            int op = data[pos++] & 0xff;
            try {
                if (op == '.') {
                    return pop();
                }
                step(op);
            } catch (CheckpointException e) {
                throw new CheckpointException(String.format("pickle offset %d, opcode 0x%02x: %s", at, op, e.getMessage()), e);
            }
        }
        throw new CheckpointException("pickle ends without STOP");
    }

    private void step(int op) {
        switch (op) {
            case 0x80: // PROTO
                int protocol = u8();
                if (protocol > 5) {
                    throw new CheckpointException("unsupported protocol " + protocol);
                }
                break;
            case 0x95: // FRAME: a length hint for buffered reading; the whole pickle is in memory already
                take(8);
                break;
            case '(': // MARK
                marks.add(stack.size());
                break;
            case ')': // EMPTY_TUPLE
                push(List.of());
                break;
            case 't': // TUPLE
                push(tuple(popMark()));
                break;
            case 0x85: // TUPLE1
            case 0x86: // TUPLE2
            case 0x87: // TUPLE3
                push(tuple(popN(op - 0x84)));
                break;
            case ']': // EMPTY_LIST
                push(new ArrayList<>());
                break;
            case 'l': // LIST
                push(new ArrayList<>(popMark()));
                break;
            case '}': // EMPTY_DICT
                push(new LinkedHashMap<>());
                break;
            case 'd': { // DICT
                Map<Object, Object> dict = new LinkedHashMap<>();
                setItems(dict, popMark());
                push(dict);
                break;
            }
            case 0x8f: // EMPTY_SET
                push(new LinkedHashSet<>());
                break;
            case 'a': // APPEND
                append(Collections.singletonList(pop()));
                break;
            case 'e': // APPENDS
                append(popMark());
                break;
            case 's': // SETITEM
                setItems(popN(2));
                break;
            case 'u': // SETITEMS
                setItems(popMark());
                break;
            case 0x90: // ADDITEMS
                addItems(popMark());
                break;
            case 'q': // BINPUT
                memo.put((long) u8(), peek());
                break;
            case 'r': // LONG_BINPUT
                memo.put(u32(), peek());
                break;
            case 0x94: // MEMOIZE
                memo.put((long) memo.size(), peek());
                break;
            case 'h': // BINGET
                push(memoGet(u8()));
                break;
            case 'j': // LONG_BINGET
                push(memoGet(u32()));
                break;
            case 'X': // BINUNICODE
                push(utf8(length(u32())));
                break;
            case 0x8c: // SHORT_BINUNICODE
            case 'U': // SHORT_BINSTRING: Python 2 str, decoded as torch.load decodes it
                push(utf8(u8()));
                break;
            case 'T': // BINSTRING
                push(utf8(length(s32())));
                break;
            case 'B': // BINBYTES
                push(take(length(u32())));
                break;
            case 'C': // SHORT_BINBYTES
                push(take(u8()));
                break;
            case 'K': // BININT1
                push((long) u8());
                break;
            case 'M': // BININT2
                push((long) (u8() | u8() << 8));
                break;
            case 'J': // BININT
                push((long) s32());
                break;
            case 0x8a: // LONG1
                push(integer(take(u8())));
                break;
            case 0x8b: // LONG4
                push(integer(take(length(s32()))));
                break;
            case 'G': // BINFLOAT (big-endian, unlike everything else in a pickle)
                push(ByteBuffer.wrap(take(8)).order(ByteOrder.BIG_ENDIAN).getDouble());
                break;
            case 0x88: // NEWTRUE
                push(Boolean.TRUE);
                break;
            case 0x89: // NEWFALSE
                push(Boolean.FALSE);
                break;
            case 'N': // NONE
                push(null);
                break;
            case 'c': { // GLOBAL
                String module = line();
                push(global(module, line()));
                break;
            }
            case 0x93: { // STACK_GLOBAL
                String name = string(pop(), "STACK_GLOBAL name");
                push(global(string(pop(), "STACK_GLOBAL module"), name));
                break;
            }
            case 'R': // REDUCE
            case 0x81: { // NEWOBJ: cls.__new__(cls, *args), which for the classes in question is the same as a call
                List<Object> args = arguments(pop());
                push(call(pop(), args));
                break;
            }
            case 'b': // BUILD
                build(pop(), peek());
                break;
            case 'Q': // BINPERSID
                push(persistentLoad.apply(pop()));
                break;
            case '0': // POP: CPython discards a mark when the stack above it is empty
                if (stack.size() > floor()) {
                    pop();
                } else {
                    popMark();
                }
                break;
            case '1': // POP_MARK
                popMark();
                break;
            case '2': // DUP
                push(peek());
                break;
            default:
                throw new CheckpointException("unsupported opcode");
        }
    }

    // ---- objects --------------------------------------------------------------------------------------------

    private Object global(String module, String name) {
        Object known = globals.apply(module, name);
        return known != null ? known : Placeholder.global(module, name);
    }

    private Object call(Object callable, List<Object> args) {
        if (callable instanceof Callable) {
            return ((Callable) callable).call(args);
        }
        if (callable instanceof Placeholder) {
            return ((Placeholder) callable).call(args);
        }
        throw new CheckpointException("cannot call " + describe(callable));
    }

    private static List<Object> arguments(Object args) {
        if (!(args instanceof List) || args instanceof ArrayList) {
            throw new CheckpointException("call arguments are " + describe(args) + ", not a tuple");
        }
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) args;
        return list;
    }

    /** OrderedDict's BUILD carries attributes such as torch's per-module {@code _metadata} versions: no weights. */
    private static void build(Object state, Object target) {
        if (target instanceof Placeholder) {
            ((Placeholder) target).setState(state);
        } else if (!(target instanceof Map)) {
            throw new CheckpointException("BUILD on " + describe(target));
        }
    }

    private void append(List<Object> items) {
        Object target = peek();
        if (target instanceof ArrayList) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) target;
            list.addAll(items);
        } else if (target instanceof Placeholder) {
            ((Placeholder) target).mutableElements().addAll(items);
        } else {
            throw new CheckpointException("APPEND to " + describe(target));
        }
    }

    private static void setItems(Object target, List<Object> keysAndValues) {
        Map<Object, Object> map;
        if (target instanceof Map) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> m = (Map<Object, Object>) target;
            map = m;
        } else if (target instanceof Placeholder) {
            map = ((Placeholder) target).mutableItems();
        } else {
            throw new CheckpointException("SETITEM on " + describe(target));
        }
        if (keysAndValues.size() % 2 != 0) {
            throw new CheckpointException("odd number of items (" + keysAndValues.size() + ") for a dict");
        }
        for (int i = 0; i < keysAndValues.size(); i += 2) {
            map.put(hashable(keysAndValues.get(i)), keysAndValues.get(i + 1));
        }
    }

    /** The items come off the stack before the target under them is looked at. */
    private void setItems(List<Object> keysAndValues) {
        setItems(peek(), keysAndValues);
    }

    private void addItems(List<Object> items) {
        Object target = peek();
        if (!(target instanceof Set)) {
            throw new CheckpointException("ADDITEMS to " + describe(target));
        }
        @SuppressWarnings("unchecked")
        Set<Object> set = (Set<Object>) target;
        for (Object item : items) {
            set.add(hashable(item));
        }
    }

    /**
     * Python refuses mutable dict keys; so does this reader, which also keeps Java's deep {@code hashCode} away
     * from deep or cyclic structures: a tuple key may hold only scalars.
     */
    private static Object hashable(Object key) {
        boolean ok = !(key instanceof Map || key instanceof Set || key instanceof ArrayList);
        if (ok && key instanceof List) {
            for (Object item : (List<?>) key) {
                ok &= !(item instanceof Collection || item instanceof Map);
            }
        }
        if (!ok) {
            throw new CheckpointException("unhashable dict key or set item: " + describe(key));
        }
        return key;
    }

    private static List<Object> tuple(List<Object> items) {
        return Collections.unmodifiableList(Arrays.asList(items.toArray()));
    }

    private static Object integer(byte[] littleEndian) {
        byte[] bigEndian = new byte[littleEndian.length];
        for (int i = 0; i < bigEndian.length; i++) {
            bigEndian[i] = littleEndian[littleEndian.length - 1 - i];
        }
        BigInteger v = bigEndian.length == 0 ? BigInteger.ZERO : new BigInteger(bigEndian);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private static String string(Object v, String what) {
        if (!(v instanceof String)) {
            throw new CheckpointException(what + " is " + describe(v) + ", not a str");
        }
        return (String) v;
    }

    /** A one-line description that never walks into contents, for messages. */
    static String describe(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof String) {
            String s = (String) v;
            return "str '" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "'";
        }
        if (v instanceof Map) {
            return "dict of " + ((Map<?, ?>) v).size();
        }
        if (v instanceof ArrayList) {
            return "list of " + ((List<?>) v).size();
        }
        if (v instanceof List) {
            return "tuple of " + ((List<?>) v).size();
        }
        if (v instanceof Set) {
            return "set of " + ((Set<?>) v).size();
        }
        if (v instanceof Number || v instanceof Boolean || v instanceof Placeholder) {
            return v.getClass().getSimpleName() + " " + v;
        }
        return v.getClass().getSimpleName();
    }

    // ---- the stack and the memo -----------------------------------------------------------------------------

    private void push(Object v) {
        stack.add(v);
    }

    private int floor() {
        return marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
    }

    private Object pop() {
        if (stack.size() <= floor()) {
            throw new CheckpointException("stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.size() <= floor()) {
            throw new CheckpointException("stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popN(int n) {
        if (stack.size() - floor() < n) {
            throw new CheckpointException("stack underflow");
        }
        return cut(stack.size() - n);
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw new CheckpointException("no MARK to pop to");
        }
        return cut(marks.remove(marks.size() - 1));
    }

    private List<Object> cut(int from) {
        List<Object> top = stack.subList(from, stack.size());
        List<Object> items = new ArrayList<>(top);
        top.clear();
        return items;
    }

    private Object memoGet(long index) {
        Object v = memo.get(index);
        if (v == null && !memo.containsKey(index)) {
            throw new CheckpointException("memo has no entry " + index);
        }
        return v;
    }

    // ---- the byte stream ------------------------------------------------------------------------------------

    private int u8() {
        need(1);
        return data[pos++] & 0xff;
    }

    private int s32() {
        need(4);
        int v = ByteBuffer.wrap(data, pos, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        pos += 4;
        return v;
    }

    private long u32() {
        return s32() & 0xffffffffL;
    }

    /** A length that must be non-negative and fit in what is left; checked before anything is allocated. */
    private int length(long n) {
        if (n < 0 || n > data.length - pos) {
            throw new CheckpointException("length " + n + " runs past the end of the pickle");
        }
        return (int) n;
    }

    private byte[] take(int n) {
        need(n);
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    private String utf8(int n) {
        need(n);
        String s = new String(data, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    private String line() {
        int start = pos;
        while (pos < data.length && data[pos] != '\n') {
            pos++;
        }
        if (pos >= data.length) {
            throw new CheckpointException("GLOBAL name runs past the end of the pickle");
        }
        return new String(data, start, pos++ - start, StandardCharsets.UTF_8);
    }

    private void need(int n) {
        if (n > data.length - pos) {
            throw new CheckpointException("pickle truncated: " + n + " bytes needed, " + (data.length - pos) + " left");
        }
    }
}
