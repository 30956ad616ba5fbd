package org.cellpilot.torch;

import java.util.Arrays;
import java.util.StringJoiner;
import org.cellpilot.torch.spi.NativeCallException;
import org.cellpilot.torch.spi.TorchBackend;

/**
 * Calls an ATen operator through {@code torch_call_dispatcher}. Arguments are given in schema order, every
 * defaulted one included: {@link Tensor}, {@code Long}/{@code Integer} (int, SymInt), {@code Double} (float),
 * {@code Boolean}, {@link DType} (ScalarType), {@code String} (str), {@code long[]} (int[]), {@code double[]}
 * (float[]), {@code Tensor[]} (Tensor[]), {@code null} for an absent optional, and {@link #opt} for a present one.
 */
final class Dispatch {
    private Dispatch() {
    }

    /** A present value of an optional ({@code T?}) argument. */
    record Opt(Object value) {
    }

    static Opt opt(Object value) {
        return new Opt(value);
    }

    static Tensor one(String op, String overload, Object... args) {
        return call(op, overload, 1, args)[0];
    }

    static Tensor[] call(String op, String overload, int results, Object... args) {
        TorchBackend b = Torch.opBackend();
        for (Object a : args) {
            requireOpen(a, op);
        }
        long[] stack = new long[Math.max(args.length, results)];
        for (int i = 0; i < args.length; i++) {
            stack[i] = encode(b, args[i]);
        }
        try {
            b.callDispatcher(op, overload, stack, args.length, results);
        } catch (NativeCallException e) {
            throw failure(e, () -> {
                long[] again = new long[stack.length];
                for (int i = 0; i < args.length; i++) {
                    again[i] = encode(b, args[i]);
                }
                b.callDispatcher(op, overload, again, args.length, results);
                // It worked this time: nobody wants its results.
                for (int i = 0; i < results; i++) {
                    b.deleteTensor(again[i]);
                }
            }, op + (overload.isEmpty() ? "" : "." + overload), args);
        }
        Tensor[] out = new Tensor[results];
        for (int i = 0; i < results; i++) {
            out[i] = new Tensor(stack[i], null);
        }
        return out;
    }

    /**
     * The error for a failed op: its name, what it was given, and libtorch's reason, which {@code retry} (the
     * same call again) obtains from the backend; without one, the backend's own message.
     */
    static TorchException failure(NativeCallException cause, Runnable retry, String op, Object... args) {
        StringJoiner j = new StringJoiner(", ", op + "(", ")");
        for (Object a : args) {
            j.add(describe(a));
        }
        String reason = Torch.opBackend().failureReason(retry);
        return new TorchException(j + " failed: " + (reason == null ? cause.getMessage() : reason), cause);
    }

    private static String describe(Object a) {
        if (a instanceof Tensor) {
            return ((Tensor) a).describe();
        }
        if (a instanceof Opt) {
            return describe(((Opt) a).value());
        }
        if (a instanceof long[]) {
            return Arrays.toString((long[]) a);
        }
        if (a instanceof double[]) {
            return Arrays.toString((double[]) a);
        }
        if (a instanceof Tensor[]) {
            StringJoiner j = new StringJoiner(", ", "[", "]");
            for (Tensor t : (Tensor[]) a) {
                j.add(t.describe());
            }
            return j.toString();
        }
        if (a instanceof String) {
            return "'" + a + "'";
        }
        return String.valueOf(a);
    }

    private static void requireOpen(Object a, String op) {
        if (a instanceof Tensor) {
            if (((Tensor) a).isClosed()) {
                throw new IllegalStateException(op + ": tensor argument used after close");
            }
        } else if (a instanceof Tensor[]) {
            for (Tensor t : (Tensor[]) a) {
                requireOpen(t, op);
            }
        } else if (a instanceof Opt) {
            requireOpen(((Opt) a).value(), op);
        }
    }

    /** The call consumes what it is given, so tensors go in as fresh handles that the caller never frees. */
    private static long encode(TorchBackend b, Object a) {
        if (a == null) {
            return 0L;
        }
        if (a instanceof Tensor) {
            return b.newHandle(((Tensor) a).handle());
        }
        if (a instanceof Long || a instanceof Integer) {
            return ((Number) a).longValue();
        }
        if (a instanceof Double) {
            return Double.doubleToRawLongBits((Double) a);
        }
        if (a instanceof Boolean) {
            return ((Boolean) a) ? 1L : 0L;
        }
        if (a instanceof DType) {
            return ((DType) a).code();
        }
        if (a instanceof String) {
            return b.newString((String) a);
        }
        if (a instanceof long[]) {
            return b.newList((long[]) a);
        }
        if (a instanceof double[]) {
            double[] d = (double[]) a;
            long[] bits = new long[d.length];
            for (int i = 0; i < d.length; i++) {
                bits[i] = Double.doubleToRawLongBits(d[i]);
            }
            return b.newList(bits);
        }
        if (a instanceof Tensor[]) {
            Tensor[] ts = (Tensor[]) a;
            long[] handles = new long[ts.length];
            for (int i = 0; i < ts.length; i++) {
                handles[i] = b.newHandle(ts[i].handle());
            }
            return b.newList(handles);
        }
        if (a instanceof Opt) {
            return b.newOptional(encode(b, ((Opt) a).value()));
        }
        throw new IllegalArgumentException("cannot pass " + a.getClass().getName() + " to libtorch");
    }
}
