package org.cellpilot.torch;

import java.util.Locale;

/** Where a tensor lives. A request for CUDA that the loaded libtorch cannot meet is an error, never a CPU fallback. */
public final class Device {
    public enum Kind { CPU, CUDA }

    private static final Device CPU = new Device(Kind.CPU, 0);

    private final Kind kind;
    private final int index;

    private Device(Kind kind, int index) {
        this.kind = kind;
        this.index = index;
    }

    public static Device cpu() {
        return CPU;
    }

    public static Device cuda(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("CUDA device index must be >= 0, got " + index);
        }
        return new Device(Kind.CUDA, index);
    }

    /** Parses {@code cpu}, {@code cuda} or {@code cuda:N}. */
    public static Device parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("cpu")) {
            return cpu();
        }
        if (t.equals("cuda")) {
            return cuda(0);
        }
        if (t.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(t.substring(5)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid device '" + text + "': expected cpu, cuda or cuda:N");
            }
        }
        throw new IllegalArgumentException("invalid device '" + text + "': expected cpu, cuda or cuda:N");
    }

    public Kind kind() {
        return kind;
    }

    public int index() {
        return index;
    }

    public boolean isCpu() {
        return kind == Kind.CPU;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device && ((Device) o).kind == kind && ((Device) o).index == index;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + index;
    }

    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + index;
    }
}
