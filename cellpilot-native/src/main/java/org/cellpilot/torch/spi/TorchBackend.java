package org.cellpilot.torch.spi;

import java.nio.ByteBuffer;

/**
 * The C functions of libtorch's stable ABI that the tensor layer needs, over {@code long} handles.
 * An implementation binds them once at start-up (FFM on Java 22+, JNA on Java 17+).
 * Every method that fails throws {@link NativeCallException} with the C function's name.
 * Handles passed to {@link #callDispatcher} (tensors, lists, strings, optionals) are consumed by the call.
 */
public interface TorchBackend {
    /** The libtorch directory the backend loaded, for diagnostics. */
    String libraryLocation();

    /** {@code aoti_torch_abi_version()}: (major << 56) | (minor << 48). */
    long abiVersion();

    /** A short name, such as "FFM" or "JNA". */
    String name();

    /** The version of the binding itself, for diagnostics (the JNA release, or the Java whose FFM is used). */
    String version();

    boolean cudaAvailable();

    int dtypeCode(String name);

    int deviceTypeCpu();

    int deviceTypeCuda();

    /** A tensor that aliases a direct buffer without copying; the caller keeps the buffer alive. */
    long fromBuffer(ByteBuffer data, long[] sizes, long[] strides, int dtype);

    long emptyStrided(long[] sizes, long[] strides, int dtype, int deviceType, int deviceIndex);

    void deleteTensor(long handle);

    /** A second owning handle to the same tensor. */
    long newHandle(long handle);

    long[] sizes(long handle);

    long[] strides(long handle);

    int dtype(long handle);

    int deviceType(long handle);

    int deviceIndex(long handle);

    long dataPointer(long handle);

    /** A view of {@code byteLength} bytes of host memory at {@code address}, valid while the tensor lives. */
    ByteBuffer memory(long address, long byteLength);

    /**
     * {@code madvise(address, length, MADV_DONTNEED)} on whole pages of a read-only file mapping: they leave the
     * process's resident memory and are read from the file again if touched. Anonymous memory would lose its
     * contents, so callers pass only mapped checkpoint regions. Returns whether the kernel took the advice (it
     * refuses a range that does not start on one of its pages).
     */
    boolean releaseFilePages(long address, long length);

    void copyInto(long dst, long src);

    void zero(long handle);

    /**
     * Runs {@code call}, which failed just now, once more and returns libtorch's reason for the failure (it has
     * no call that returns it), or null when there is none to be had.
     */
    default String failureReason(Runnable call) {
        return null;
    }

    /** Runs {@code op.overload}; {@code stack} holds the arguments in schema order and receives the results. */
    void callDispatcher(String op, String overload, long[] stack, int inputs, int outputs);

    long newList(long[] items);

    long newString(String value);

    /** A heap-allocated StableIValue holding {@code value}, as an optional argument that libtorch frees. */
    long newOptional(long value);

    long addTensor(long self, long other, double alpha, int deviceType);

    long addScalar(long self, double other, double alpha, int deviceType);

    long mulScalar(long self, double other, int deviceType);

    /** Whether the loaded libtorch exports the typed {@code baddbmm_out} shim for this device type. */
    boolean hasBaddbmm(int deviceType);

    /** out = beta·self + alpha·(batch1 @ batch2), into an existing {@code out}. */
    void baddbmmOut(long out, long self, long batch1, long batch2, double beta, double alpha, int deviceType);

    /** 0-dim float64 tensor on the CPU. */
    long scalarTensor(double value);

    void setGradEnabled(boolean enabled);

    /** Sets the OpenMP threads of the calling thread and the OpenBLAS pool. */
    void setThreads(int threads);

    /**
     * Sets the OpenMP threads of the calling thread alone ({@code omp_set_num_threads}) and the OpenBLAS pool, for a
     * while: unlike {@link #setThreads} it leaves the count that new threads start with, and oneDNN's cache of
     * primitives, as they are.
     */
    void setCallerThreads(int threads);

    int threads();
}
