package org.cellpilot.torch.spi;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.cellpilot.torch.loader.NativeLibraries;

/**
 * What the two bindings of libtorch's stable C ABI (FFM on Java 22+, JNA on 17+) share: the names of the C
 * symbols outside the {@code aoti_torch_*} families, how a failed call or load reads, and the environment set
 * before the libraries load. Keeping them here makes both backends fail with the same types and messages.
 */
public final class LibtorchAbi {
    /** The most dimensions a shape may have; call arguments use fixed scratch arrays of this length. */
    public static final int MAX_DIMS = 64;

    public static final String ABI_VERSION = "aoti_torch_abi_version";
    public static final String DISPATCHER = "torch_call_dispatcher";
    /** at::set_num_threads sets OpenMP (and MKL in pip builds) for the calling thread. */
    public static final String SET_NUM_THREADS = "_ZN2at15set_num_threadsEi";
    public static final String GET_NUM_THREADS = "_ZN2at15get_num_threadsEv";
    public static final String OPENBLAS_SET_NUM_THREADS = "openblas_set_num_threads";
    /** libgomp's, which ATen's OpenMP build loads: the calling thread's team size. */
    public static final String OMP_SET_NUM_THREADS = "omp_set_num_threads";
    /** libtorch frees optional argument boxes with C++ delete, so they must come from C++ operator new. */
    public static final String OPERATOR_NEW = "_Znwm";
    public static final String LIBSTDCXX = "libstdc++.so.6";
    /** libc10's minimum level for a log line to be written (an int); see {@link LibtorchLog}. */
    public static final String LOG_LEVEL = "FLAGS_caffe2_log_level";

    /**
     * ATen's kernels run on OpenMP threads and its float matrix products on OpenBLAS's own pool. By default both
     * pools spin while idle, so on a machine with few cores each hand-over between an elementwise op and a GEMM
     * waits for the spinning pool's time slice: a decoder step measured 290 ms instead of 110, an encoder block
     * 4× its time. Idle threads that sleep at once avoid that. Both libraries read these variables when they
     * load, so a backend sets them (with {@code setenv}, without overwriting the user's) before it loads them.
     */
    public static final String[][] SLEEPING_THREAD_POOLS = {{"OMP_WAIT_POLICY", "PASSIVE"}, {"OPENBLAS_THREAD_TIMEOUT", "4"}};

    /**
     * glibc's malloc gives a freed block of more than 128 KB back to the kernel (and, past its first frees, trims
     * the free top of a heap above 2× a threshold that then grows with them), so the next tensor of that size takes
     * a page fault on every 4 KB page it writes. The decoder's temporaries are 4 MB each: one interactive click took
     * about 6,000 page faults and its median dropped from 33–38 ms to 30–32 ms when freed blocks below 32 MB stay in
     * malloc's heaps and up to 64 MB of free top is kept (measured here with glibc's own variables). Each backend
     * sets this with {@code mallopt(M_MMAP_THRESHOLD, ·)} and {@code mallopt(M_TRIM_THRESHOLD, ·)} when it loads,
     * unless {@link #MALLOC_SETTING} is {@code system} or the user has set malloc's own variables, whose choice wins.
     * The price is up to 64 MB of freed memory kept per malloc arena (one per busy thread, up to 8 per core).
     */
    public static final String MALLOC_SETTING = "cellpilot.malloc";
    /** {@code mallopt}'s parameters and the values set: {M_MMAP_THRESHOLD, 32 MiB}, {M_TRIM_THRESHOLD, 64 MiB}. */
    private static final int[][] MALLOC_KEEPS_FREED = {{-3, 32 << 20}, {-1, 64 << 20}};
    private static final String[] MALLOC_VARIABLES = {"MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "GLIBC_TUNABLES"};

    /** {@code madvise}'s advice that drops pages; see {@link TorchBackend#releaseFilePages}. */
    public static final int MADV_DONTNEED = 4;

    private LibtorchAbi() {
    }

    /** The {@code mallopt(param, value)} calls a backend makes when it loads: none where the user chose otherwise. */
    public static int[][] mallocSettings() {
        boolean userChose = "system".equalsIgnoreCase(NativeLibraries.setting("CELLPILOT_MALLOC", MALLOC_SETTING).orElse(""))
                || java.util.Arrays.stream(MALLOC_VARIABLES).anyMatch(v -> System.getenv(v) != null);
        return userChose ? new int[0][] : MALLOC_KEEPS_FREED;
    }

    /** The typed shim of an op on a device type, e.g. {@code aoti_torch_cpu_add_Tensor}. */
    public static String shim(String device, String op) {
        return "aoti_torch_" + device + "_" + op;
    }

    /** Every C function of the ABI returns an error code; libtorch itself prints the C++ reason. */
    public static void check(int rc, String function) {
        if (rc != 0) {
            throw new NativeCallException(function, "libtorch printed the reason to stderr");
        }
    }

    public static String dispatcherCall(String op, String overload) {
        return DISPATCHER + "(" + op + (overload.isEmpty() ? "" : "." + overload) + ")";
    }

    /** Tensors alias a buffer's memory, so it must be native. */
    public static void requireDirect(ByteBuffer data) {
        if (!data.isDirect()) {
            throw new IllegalArgumentException("zero-copy needs a direct ByteBuffer");
        }
    }

    public static void checkDims(long[] values) {
        if (values.length > MAX_DIMS) {
            throw new IllegalArgumentException("more than " + MAX_DIMS + " dimensions");
        }
    }

    /** A shared library that would not load: which one, why, and what the user can do. */
    public static IllegalStateException cannotLoad(Path library, String reason, Throwable cause) {
        Path folder = library.getParent();
        return new IllegalStateException("cannot load " + library.getFileName() + " from " + library + ": " + reason
                + ". Point CELLPILOT_LIBTORCH at the lib folder of a libtorch >= 2.10 for this platform"
                + (folder == null ? "" : ", or delete " + folder + " so that the bundled libraries are extracted again"), cause);
    }

    public static IllegalStateException noStableAbi(String location) {
        return new IllegalStateException("libtorch at " + location + " has no stable C ABI (" + ABI_VERSION + ", "
                + DISPATCHER + "): CellPilot needs libtorch >= 2.10");
    }

    public static IllegalStateException missingSymbol(String name, String location) {
        return new IllegalStateException("symbol " + name + " not found in libtorch at " + location);
    }

    /** A CUDA build may lack some typed shims; the op fails at its first use, with the shim's name. */
    public static NativeCallException missingCudaShim(String op) {
        return new NativeCallException(op, "this libtorch does not export the CUDA shim");
    }

    public static NativeCallException noCudaLibrary() {
        return new NativeCallException("scalar op", "no CUDA library loaded");
    }
}
