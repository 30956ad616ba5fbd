package org.cellpilot.torch;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.cellpilot.torch.loader.NativeLibraries;
import org.cellpilot.torch.spi.TorchBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loaded libtorch: one per JVM, loaded at first use.
 *
 * <p><b>Diagnostics hook.</b> When the system property {@value #DECORATOR_PROPERTY} names a class, the loaded
 * backend is wrapped in an instance of it (made through a public constructor taking the {@link TorchBackend}),
 * and every call goes through the wrapper: for tracing calls, or for simulating a device this machine lacks, as
 * the tests' simulated CUDA does. It is not meant for production use.
 */
public final class Torch {
    private static final Logger LOG = LoggerFactory.getLogger(Torch.class);
    private static final long MIN_ABI = 0x020a000000000000L;
    /** Forces a backend, {@code ffm} or {@code jna} (as the environment variable {@code CELLPILOT_BACKEND} does). */
    public static final String BACKEND_PROPERTY = "cellpilot.backend";
    /** Names a {@link TorchBackend} class that wraps the loaded one; see the class comment. */
    public static final String DECORATOR_PROPERTY = "cellpilot.backend.decorator";

    private static volatile Torch instance;
    private static final java.util.concurrent.atomic.LongAdder OP_CALLS = new java.util.concurrent.atomic.LongAdder();

    final TorchBackend backend;
    private final String backendReason;
    private final Codes codes;
    private final int cpuType;
    private final int cudaType;
    private final ThreadLocal<Boolean> threadReady = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private volatile int threads;
    private final CpuShare cpuShare = new CpuShare();
    private final ThreadLocal<Boolean> inLatencyBound = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private Torch(TorchBackend backend, String backendReason) {
        this.backend = backend;
        this.backendReason = backendReason;
        this.codes = new Codes(backend);
        this.cpuType = backend.deviceTypeCpu();
        this.cudaType = backend.deviceTypeCuda();
        this.threads = backend.threads();
    }

    /** The loaded libtorch, loading it on first call. */
    public static Torch get() {
        Torch t = instance;
        if (t == null) {
            synchronized (Torch.class) {
                t = instance;
                if (t == null) {
                    BackendChoice choice = BackendChoice.forThisJvm();
                    t = new Torch(loadBackend(choice), choice.reason);
                    instance = t;
                }
            }
        }
        return t;
    }

    /** ATen ops called through the binding since start-up: with the cost of one call, the binding's share of a run. */
    public static long opCalls() {
        return OP_CALLS.sum();
    }

    /** The backend for an op call, counted in {@link #opCalls()}. */
    static TorchBackend opBackend() {
        OP_CALLS.increment();
        return backend();
    }

    static TorchBackend backend() {
        Torch t = get();
        t.prepareThread();
        return t.backend;
    }

    static Codes codes() {
        return get().codes;
    }

    private static TorchBackend loadBackend(BackendChoice choice) {
        NativeLibraries.Plan plan = NativeLibraries.plan();
        TorchBackend backend = choice.load(plan);
        if (Long.compareUnsigned(backend.abiVersion(), MIN_ABI) < 0) {
            throw new IllegalStateException("libtorch at " + plan.directory() + " is version "
                    + NativeLibraries.versionString(backend.abiVersion())
                    + "; CellPilot needs libtorch >= 2.10 for the stable C ABI (torch_call_dispatcher)");
        }
        backend = decorate(backend, System.getProperty(DECORATOR_PROPERTY));
        LOG.info("libtorch {} loaded from {} ({} backend {}, {}; cuda: {})", NativeLibraries.versionString(backend.abiVersion()),
                backend.libraryLocation(), backend.name(), backend.version(), choice.reason, backend.cudaAvailable());
        return backend;
    }

    /** {@code backend} wrapped in an instance of {@code decorator}, or itself when none is named. */
    static TorchBackend decorate(TorchBackend backend, String decorator) {
        if (decorator == null || decorator.isBlank()) {
            return backend;
        }
        try {
            return Class.forName(decorator.trim()).asSubclass(TorchBackend.class).getConstructor(TorchBackend.class)
                    .newInstance(backend);
        } catch (ReflectiveOperationException | ClassCastException e) {
            Throwable why = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException(DECORATOR_PROPERTY + "=" + decorator + " must name a TorchBackend class with a public "
                    + "constructor taking the TorchBackend it wraps: " + why, why);
        }
    }

    /** Grad mode and the OpenMP thread count are per thread in libtorch, so each thread is set up once. */
    void prepareThread() {
        if (!threadReady.get()) {
            backend.setGradEnabled(false);
            backend.setThreads(threads);
            threadReady.set(Boolean.TRUE);
        }
    }

    /**
     * Sets the intra-op threads for ATen (OpenMP) and OpenBLAS. It applies to the calling thread at once and to
     * every other thread at its next op that has not run one yet; threads already running keep their count.
     */
    public void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + n);
        }
        threads = n;
        threadReady.set(Boolean.FALSE);
        prepareThread();
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code work}, a computation whose latency matters (one interactive click), with the calling thread's
     * intra-op threads cut to the cores that other processes leave free, never more than {@link #threads()}. ATen and
     * OpenBLAS split every op evenly between their threads; when another process holds a core, the share of the
     * thread that waits for it delays the whole op, and a click's few hundred ops add those waits up. The encoder,
     * whose ops are long, is left alone: there two threads still win with a core taken (see the README).
     */
    public <T> T latencyBound(java.util.function.Supplier<T> work) {
        if (inLatencyBound.get()) {
            return work.get();
        }
        int configured = threads;
        int free = (int) Math.min(configured, Math.max(1, Math.round(cpuShare.freeCores())));
        if (free >= configured) {
            return work.get();
        }
        inLatencyBound.set(Boolean.TRUE);
        backend.setCallerThreads(free);
        try {
            return work.get();
        } finally {
            backend.setCallerThreads(configured);
            inLatencyBound.set(Boolean.FALSE);
        }
    }

    public String version() {
        return NativeLibraries.versionString(backend.abiVersion());
    }

    public String location() {
        return backend.libraryLocation();
    }

    public String backendName() {
        return backend.name();
    }

    /** The binding's own version: the JNA release, or the Java whose FFM API is used. */
    public String backendVersion() {
        return backend.version();
    }

    /** Why this backend was chosen: the Java version, or the property or environment variable that forced it. */
    public String backendReason() {
        return backendReason;
    }

    public boolean cudaAvailable() {
        return backend.cudaAvailable();
    }

    /** Throws if the loaded libtorch cannot place tensors on {@code device}. */
    public void requireDevice(Device device) {
        if (!device.isCpu() && !backend.cudaAvailable()) {
            throw new IllegalStateException("device " + device + " requested, but the libtorch at " + location()
                    + " has no CUDA support; set CELLPILOT_LIBTORCH to a CUDA build of libtorch");
        }
    }

    int deviceTypeCode(Device device) {
        return device.isCpu() ? cpuType : cudaType;
    }

    Device deviceOf(int type, int index) {
        if (type == cpuType) {
            return Device.cpu();
        }
        if (type == cudaType) {
            return Device.cuda(index);
        }
        throw new TorchException("unsupported device type code " + type);
    }

    /** dtype codes of the loaded library. */
    static final class Codes {
        private final Map<DType, Integer> codeOf = new EnumMap<>(DType.class);
        private final Map<Integer, DType> typeOf = new HashMap<>();

        Codes(TorchBackend backend) {
            for (DType d : DType.values()) {
                int code = backend.dtypeCode(d.name().toLowerCase(java.util.Locale.ROOT));
                codeOf.put(d, code);
                typeOf.put(code, d);
            }
        }

        int dtypeCode(DType d) {
            return codeOf.get(d);
        }

        DType dtypeOf(int code) {
            DType d = typeOf.get(code);
            if (d == null) {
                throw new TorchException("unsupported dtype code " + code);
            }
            return d;
        }
    }
}
