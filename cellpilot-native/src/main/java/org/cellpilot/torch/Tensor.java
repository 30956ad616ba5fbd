package org.cellpilot.torch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.cellpilot.torch.spi.TorchBackend;

/**
 * One owned libtorch tensor handle. Closing frees it; a second close does nothing; any other use after close
 * throws {@link IllegalStateException}. A tensor made while a {@link Scope} is open on this thread belongs to
 * that scope, which closes it unless it is {@linkplain Scope#keep kept}.
 *
 * <p>A tensor is not safe for use from one thread while another closes it. Reading from several threads is safe.
 */
public final class Tensor implements AutoCloseable {
    private static final AtomicLong LIVE = new AtomicLong();
    /** The smallest page size of Linux kernels; see {@link #releaseFilePages}. */
    private static final long PAGE = 4096;

    private long handle;
    /** Memory that a zero-copy tensor aliases; held so that it outlives the handle. */
    private Object keepAlive;
    /** Whether the memory is a read-only mapping of a file ({@link #viewOfMappedFile}). */
    private boolean fileMapping;
    private long[] shape;
    private DType dtype;
    private Device device;
    Scope owner;

    Tensor(long handle, Object keepAlive) {
        if (handle == 0) {
            throw new TorchException("libtorch returned a null tensor");
        }
        this.handle = handle;
        this.keepAlive = keepAlive;
        LIVE.incrementAndGet();
        Scope.adopt(this);
    }

    /** Live tensor handles in this JVM; tests use it to prove that nothing leaks. */
    public static long liveCount() {
        return LIVE.get();
    }

    // ---- creation -------------------------------------------------------------------------------------------

    /** Copies {@code data} once into native memory. */
    public static Tensor of(float[] data, long... shape) {
        checkCount(data.length, shape);
        ByteBuffer b = direct(data.length * 4L);
        b.asFloatBuffer().put(data);
        return wrap(b, DType.FLOAT32, shape);
    }

    public static Tensor of(long[] data, long... shape) {
        checkCount(data.length, shape);
        ByteBuffer b = direct(data.length * 8L);
        b.asLongBuffer().put(data);
        return wrap(b, DType.INT64, shape);
    }

    public static Tensor of(int[] data, long... shape) {
        checkCount(data.length, shape);
        ByteBuffer b = direct(data.length * 4L);
        b.asIntBuffer().put(data);
        return wrap(b, DType.INT32, shape);
    }

    public static Tensor of(double[] data, long... shape) {
        checkCount(data.length, shape);
        ByteBuffer b = direct(data.length * 8L);
        b.asDoubleBuffer().put(data);
        return wrap(b, DType.FLOAT64, shape);
    }

    /** Copies {@code data} once, as {@code dtype} (UINT8, INT8 or BOOL). */
    public static Tensor ofBytes(byte[] data, DType dtype, long... shape) {
        checkCount(data.length, shape);
        if (dtype.byteSize() != 1) {
            throw new IllegalArgumentException("byte data needs a 1-byte dtype, got " + dtype);
        }
        ByteBuffer b = direct(data.length);
        b.put(data).flip();
        return wrap(b, dtype, shape);
    }

    /** A 0-dim float64 tensor on the CPU; ATen treats it like a Python scalar in type promotion. */
    public static Tensor scalar(double value) {
        return new Tensor(Torch.backend().scalarTensor(value), null);
    }

    /**
     * Wraps a direct buffer without copying (a heap buffer is copied once). The buffer's contents from its
     * position on, in native byte order, are the contiguous elements; the tensor keeps the buffer reachable.
     */
    public static Tensor wrap(ByteBuffer data, DType dtype, long... shape) {
        long count = checkShape(shape);
        long bytes = count * dtype.byteSize();
        if (data.remaining() < bytes) {
            throw new IllegalArgumentException("buffer holds " + data.remaining() + " bytes; shape " + Arrays.toString(shape)
                    + " of " + dtype + " needs " + bytes);
        }
        ByteBuffer source = data;
        if (!data.isDirect()) {
            source = direct(bytes);
            ByteBuffer dup = data.duplicate();
            dup.limit(dup.position() + (int) bytes);
            source.put(dup).flip();
        } else if (data.position() != 0) {
            source = data.slice();
        }
        TorchBackend b = Torch.backend();
        return new Tensor(b.fromBuffer(source, shape, contiguousStrides(shape), dtype.code()), source);
    }

    /**
     * A strided view into {@code storage} without copying: element {@code offset + Σ index[i]·strides[i]} of the
     * storage (in elements of {@code dtype}). The buffer must be direct, and must hold every element the view
     * can reach; the tensor keeps it reachable. This is how checkpoint tensors alias their mapped files.
     */
    public static Tensor view(ByteBuffer storage, DType dtype, long offset, long[] shape, long[] strides) {
        if (!storage.isDirect()) {
            throw new IllegalArgumentException("a strided view needs a direct buffer");
        }
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " and strides " + Arrays.toString(strides)
                    + " differ in length");
        }
        checkShape(shape);
        boolean empty = false;
        for (int i = 0; i < shape.length; i++) {
            if (strides[i] < 0) {
                throw new IllegalArgumentException("negative stride in " + Arrays.toString(strides));
            }
            empty |= shape[i] == 0;
        }
        long last = offset + span(shape, strides);
        long capacity = storage.remaining() / dtype.byteSize();
        if (offset < 0 || (!empty && last >= capacity)) {
            throw new IllegalArgumentException("view of shape " + Arrays.toString(shape) + ", strides " + Arrays.toString(strides)
                    + " at offset " + offset + " reaches past a storage of " + capacity + " " + dtype + " elements");
        }
        ByteBuffer base = storage.position() == 0 ? storage : storage.slice();
        ByteBuffer at = offset == 0 ? base
                : base.duplicate().position(Math.toIntExact(offset * dtype.byteSize())).slice();
        TorchBackend b = Torch.backend();
        return new Tensor(b.fromBuffer(at, shape, strides, dtype.code()), at);
    }

    /**
     * {@link #view} of a read-only file mapping, whose pages {@link #releaseFilePages} may give back to the OS.
     * Only a checkpoint reader, which mapped the file itself, can promise that.
     */
    public static Tensor viewOfMappedFile(ByteBuffer mapping, DType dtype, long offset, long[] shape, long[] strides) {
        if (!mapping.isReadOnly()) {
            throw new IllegalArgumentException("a file mapping for a tensor view must be read-only");
        }
        Tensor t = view(mapping, dtype, offset, shape, strides);
        t.fileMapping = true;
        return t;
    }

    /** An uninitialised contiguous tensor. */
    public static Tensor empty(DType dtype, Device device, long... shape) {
        checkShape(shape);
        Torch t = Torch.get();
        t.requireDevice(device);
        return new Tensor(Torch.backend().emptyStrided(shape, contiguousStrides(shape), dtype.code(), t.deviceTypeCode(device),
                device.index()), null);
    }

    public static Tensor zeros(DType dtype, Device device, long... shape) {
        Tensor t = empty(dtype, device, shape);
        Torch.backend().zero(t.handle());
        return t;
    }

    private static ByteBuffer direct(long bytes) {
        if (bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor of " + bytes + " bytes is too large for a Java array copy");
        }
        return ByteBuffer.allocateDirect((int) bytes).order(ByteOrder.nativeOrder());
    }

    private static void checkCount(int length, long[] shape) {
        long n = checkShape(shape);
        if (n != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n + " elements, data has " + length);
        }
    }

    private static long checkShape(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The strides, in elements, of a row-major contiguous tensor of {@code shape} (as libtorch computes them). */
    public static long[] contiguousStrides(long[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return strides;
    }

    // ---- metadata -------------------------------------------------------------------------------------------

    /** The native handle; throws if this tensor was closed. */
    public long handle() {
        long h = handle;
        if (h == 0) {
            throw new IllegalStateException("tensor used after close");
        }
        return h;
    }

    public boolean isClosed() {
        return handle == 0;
    }

    /**
     * For a tensor that aliases a read-only mapped file (a checkpoint's weight), lets the OS take the whole pages
     * under it out of the process's resident memory; they are read from the file again if the tensor is used. A
     * caller that keeps its own copy of a weight (oneDNN's blocked layout) calls it so that the weight is not
     * resident twice. Returns whether pages were released: never for any other tensor, nor for one smaller than a
     * page, nor where the kernel's pages are larger than the 4 KB assumed here and the range does not start on one.
     */
    public boolean releaseFilePages() {
        long h = handle();
        if (!fileMapping) {
            return false;
        }
        long extent = 1 + span(sizes(), strides());
        TorchBackend b = Torch.backend();
        long start = b.dataPointer(h);
        long firstPage = (start + PAGE - 1) & -PAGE;
        long endPage = (start + extent * dtype().byteSize()) & -PAGE;
        return endPage > firstPage && b.releaseFilePages(firstPage, endPage - firstPage);
    }

    /** How many elements past its first one a strided view reaches: Σ (size − 1)·stride. */
    private static long span(long[] shape, long[] strides) {
        long span = 0;
        for (int i = 0; i < shape.length; i++) {
            span += (shape[i] - 1) * strides[i];
        }
        return span;
    }

    /** The sizes, read once: a handle's shape never changes. Callers must not modify the array. */
    private long[] sizes() {
        if (shape == null) {
            shape = Torch.backend().sizes(handle());
        }
        return shape;
    }

    public long[] shape() {
        return sizes().clone();
    }

    public long size(int dim) {
        long[] s = sizes();
        return s[dim < 0 ? s.length + dim : dim];
    }

    public int dim() {
        return sizes().length;
    }

    public long numel() {
        long n = 1;
        for (long d : sizes()) {
            n *= d;
        }
        return n;
    }

    public DType dtype() {
        if (dtype == null) {
            dtype = DType.fromCode(Torch.backend().dtype(handle()));
        }
        return dtype;
    }

    public Device device() {
        if (device == null) {
            TorchBackend b = Torch.backend();
            long h = handle();
            device = Torch.get().deviceOf(b.deviceType(h), b.deviceIndex(h));
        }
        return device;
    }

    public long[] strides() {
        return Torch.backend().strides(handle());
    }

    /** "float32[2, 3]", with " on cuda:0" off the CPU — used in error messages. */
    public String describe() {
        if (handle == 0) {
            return "<closed>";
        }
        Device d = device();
        return dtype().name().toLowerCase(java.util.Locale.ROOT) + Arrays.toString(shape()) + (d.isCpu() ? "" : " on " + d);
    }

    @Override
    public String toString() {
        return "Tensor(" + describe() + ")";
    }

    // ---- reading --------------------------------------------------------------------------------------------

    /**
     * A read view of this tensor's memory (CPU and contiguous only), in native byte order. The view is valid only
     * while this tensor is open; use the {@code to*Array} methods for a copy that outlives it.
     */
    public ByteBuffer memory() {
        long h = handle();
        if (!device().isCpu()) {
            throw new IllegalStateException("memory() needs a CPU tensor; this one is on " + device());
        }
        if (!Arrays.equals(strides(), contiguousStrides(shape()))) {
            throw new IllegalStateException("memory() needs a contiguous tensor; call Ops.contiguous first");
        }
        long bytes = numel() * dtype().byteSize();
        return Torch.backend().memory(Torch.backend().dataPointer(h), bytes).order(ByteOrder.nativeOrder());
    }

    /** Runs {@code reader} over a contiguous CPU copy (or this tensor itself when it already is one). */
    private <T> T read(DType expected, java.util.function.Function<ByteBuffer, T> reader) {
        if (dtype() != expected) {
            throw new IllegalStateException("tensor is " + describe() + ", not " + expected);
        }
        try (Tensor c = Ops.contiguousOn(this, Device.cpu())) {
            return reader.apply(c.memory());
        }
    }

    public float[] toFloatArray() {
        return read(DType.FLOAT32, m -> {
            float[] out = new float[m.remaining() / 4];
            m.asFloatBuffer().get(out);
            return out;
        });
    }

    public long[] toLongArray() {
        return read(DType.INT64, m -> {
            long[] out = new long[m.remaining() / 8];
            m.asLongBuffer().get(out);
            return out;
        });
    }

    public int[] toIntArray() {
        return read(DType.INT32, m -> {
            int[] out = new int[m.remaining() / 4];
            m.asIntBuffer().get(out);
            return out;
        });
    }

    public double[] toDoubleArray() {
        return read(DType.FLOAT64, m -> {
            double[] out = new double[m.remaining() / 8];
            m.asDoubleBuffer().get(out);
            return out;
        });
    }

    /** The bytes of a 1-byte tensor (UINT8, INT8 or BOOL). */
    public byte[] toByteArray() {
        DType d = dtype();
        if (d.byteSize() != 1) {
            throw new IllegalStateException("tensor is " + describe() + ", not a 1-byte type");
        }
        return read(d, m -> {
            byte[] out = new byte[m.remaining()];
            m.get(out);
            return out;
        });
    }

    /** The single value of a one-element tensor, as a double. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("item() needs one element; tensor is " + describe());
        }
        try (Tensor d = Ops.to(this, DType.FLOAT64)) {
            return d.toDoubleArray()[0];
        }
    }

    // ---- lifetime -------------------------------------------------------------------------------------------

    @Override
    public void close() {
        long h;
        synchronized (this) {
            h = handle;
            handle = 0;
        }
        if (h != 0) {
            LIVE.decrementAndGet();
            keepAlive = null;
            Torch.backend().deleteTensor(h);
        }
    }
}
