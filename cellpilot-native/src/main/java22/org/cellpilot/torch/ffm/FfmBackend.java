package org.cellpilot.torch.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.cellpilot.torch.spi.LibtorchAbi.MAX_DIMS;
import static org.cellpilot.torch.spi.LibtorchAbi.check;
import static org.cellpilot.torch.spi.LibtorchAbi.shim;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.cellpilot.torch.loader.NativeLibraries;
import org.cellpilot.torch.spi.LibtorchAbi;
import org.cellpilot.torch.spi.LibtorchBackend;

/** {@link TorchBackend} over Java's FFM API. Every symbol is resolved once, here, and its handle cached. */
public final class FfmBackend extends LibtorchBackend {
    private static final Linker LINKER = Linker.nativeLinker();

    private final List<SymbolLookup> libraries = new ArrayList<>();
    private final long abiVersion;
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private final ConcurrentHashMap<String, MemorySegment> cStrings = new ConcurrentHashMap<>();

    private final MethodHandle fromBlob;
    private final MethodHandle emptyStrided;
    private final MethodHandle deleteTensor;
    private final MethodHandle newHandle;
    private final MethodHandle getDim;
    private final MethodHandle getSizes;
    private final MethodHandle getStrides;
    private final MethodHandle getDtype;
    private final MethodHandle getDeviceType;
    private final MethodHandle getDeviceIndex;
    private final MethodHandle getDataPtr;
    private final MethodHandle copy;
    private final MethodHandle zero;
    private final MethodHandle dispatcher;
    private final MethodHandle newList;
    private final MethodHandle listPushBack;
    private final MethodHandle newString;
    private final MethodHandle operatorNew;
    private final MethodHandle scalarToTensor;
    private final MethodHandle gradModeSet;
    private final MethodHandle setNumThreads;
    private final MethodHandle madvise;
    private final MethodHandle getNumThreads;
    private final MethodHandle openblasSetThreads;
    private final MethodHandle ompSetThreads;
    private final ScalarShims cpuShims;
    private final ScalarShims cudaShims;

    /** The typed per-device shims for ops whose Scalar arguments cannot cross the dispatcher. */
    private record ScalarShims(MethodHandle addTensor, MethodHandle addScalar, MethodHandle mulScalar, MethodHandle baddbmmOut) {
    }

    /** Per-thread native scratch memory for call arguments, so a call allocates nothing. */
    private static final class Scratch {
        final MemorySegment out = Arena.global().allocate(JAVA_LONG, 8);
        final MemorySegment sizes = Arena.global().allocate(JAVA_LONG, MAX_DIMS);
        final MemorySegment strides = Arena.global().allocate(JAVA_LONG, MAX_DIMS);
        MemorySegment stack = Arena.global().allocate(JAVA_LONG, 32);

        MemorySegment stack(int n) {
            if (stack.byteSize() < n * 8L) {
                stack = Arena.global().allocate(JAVA_LONG, n);
            }
            return stack;
        }
    }

    public static FfmBackend load(NativeLibraries.Plan plan) {
        return new FfmBackend(plan);
    }

    private FfmBackend(NativeLibraries.Plan plan) {
        super(plan.directory().toString());
        preferSleepingThreadPools();
        keepFreedMemory();
        for (Path lib : plan.libraries()) {
            libraries.add(open(lib));
        }
        SymbolLookup cuda = null;
        for (Path lib : plan.cudaLibraries()) {
            cuda = open(lib);
            libraries.add(cuda);
        }
        quietLog(FfmLibc.bind(), FfmLibc.level(find(LibtorchAbi.LOG_LEVEL).orElse(null)));
        MemorySegment abi = find(LibtorchAbi.ABI_VERSION).orElse(null);
        if (abi == null || find(LibtorchAbi.DISPATCHER).isEmpty()) {
            throw LibtorchAbi.noStableAbi(libraryLocation());
        }
        try {
            abiVersion = (long) LINKER.downcallHandle(abi, FunctionDescriptor.of(JAVA_LONG)).invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(LibtorchAbi.ABI_VERSION + " failed", t);
        }
        fromBlob = fn("aoti_torch_create_tensor_from_blob", ADDRESS, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT,
                JAVA_INT, JAVA_INT, ADDRESS);
        emptyStrided = fn("aoti_torch_empty_strided", JAVA_LONG, ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
        deleteTensor = fn("aoti_torch_delete_tensor_object", ADDRESS);
        newHandle = fn("aoti_torch_new_tensor_handle", ADDRESS, ADDRESS);
        getDim = fn("aoti_torch_get_dim", ADDRESS, ADDRESS);
        getSizes = fn("aoti_torch_get_sizes", ADDRESS, ADDRESS);
        getStrides = fn("aoti_torch_get_strides", ADDRESS, ADDRESS);
        getDtype = fn("aoti_torch_get_dtype", ADDRESS, ADDRESS);
        getDeviceType = fn("aoti_torch_get_device_type", ADDRESS, ADDRESS);
        getDeviceIndex = fn("aoti_torch_get_device_index", ADDRESS, ADDRESS);
        getDataPtr = fn("aoti_torch_get_data_ptr", ADDRESS, ADDRESS);
        copy = fn("aoti_torch_copy_", ADDRESS, ADDRESS, JAVA_INT);
        zero = fn("aoti_torch_zero_", ADDRESS);
        dispatcher = fn(LibtorchAbi.DISPATCHER, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
        newList = fn("torch_new_list_reserve_size", JAVA_LONG, ADDRESS);
        listPushBack = fn("torch_list_push_back", ADDRESS, JAVA_LONG);
        newString = fn("torch_new_string_handle", ADDRESS, JAVA_LONG, ADDRESS);
        scalarToTensor = fn("aoti_torch_scalar_to_tensor_float64", JAVA_DOUBLE, ADDRESS);
        gradModeSet = LINKER.downcallHandle(require("aoti_torch_grad_mode_set_enabled"), FunctionDescriptor.ofVoid(JAVA_BOOLEAN));
        operatorNew = LINKER.downcallHandle(
                SymbolLookup.libraryLookup(LibtorchAbi.LIBSTDCXX, Arena.global()).find(LibtorchAbi.OPERATOR_NEW)
                        .orElseThrow(() -> LibtorchAbi.missingSymbol(LibtorchAbi.OPERATOR_NEW, LibtorchAbi.LIBSTDCXX)),
                FunctionDescriptor.of(ADDRESS, JAVA_LONG));
        setNumThreads = LINKER.downcallHandle(require(LibtorchAbi.SET_NUM_THREADS), FunctionDescriptor.ofVoid(JAVA_INT));
        madvise = LINKER.downcallHandle(LINKER.defaultLookup().find("madvise")
                .orElseThrow(() -> new IllegalStateException("madvise not found in the C library")),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        getNumThreads = LINKER.downcallHandle(require(LibtorchAbi.GET_NUM_THREADS), FunctionDescriptor.of(JAVA_INT));
        openblasSetThreads = find(LibtorchAbi.OPENBLAS_SET_NUM_THREADS)
                .map(s -> LINKER.downcallHandle(s, FunctionDescriptor.ofVoid(JAVA_INT))).orElse(null);
        ompSetThreads = find(LibtorchAbi.OMP_SET_NUM_THREADS)
                .map(s -> LINKER.downcallHandle(s, FunctionDescriptor.ofVoid(JAVA_INT))).orElse(null);
        cpuShims = shims("cpu", null);
        cudaShims = cuda == null ? null : shims("cuda", cuda);
        readConstants(abiVersion);
    }

    /** See {@link LibtorchAbi#SLEEPING_THREAD_POOLS}. */
    private static void preferSleepingThreadPools() {
        MemorySegment setenv = LINKER.defaultLookup().find("setenv")
                .orElseThrow(() -> new IllegalStateException("setenv not found in the C library"));
        MethodHandle handle = LINKER.downcallHandle(setenv, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            for (String[] kv : LibtorchAbi.SLEEPING_THREAD_POOLS) {
                int rc = (int) handle.invokeExact(arena.allocateFrom(kv[0]), arena.allocateFrom(kv[1]), 0);
                if (rc != 0) {
                    throw new IllegalStateException("setenv(" + kv[0] + ") failed");
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** See {@link LibtorchAbi#mallocSettings}; a C library without {@code mallopt} (musl) is left as it is. */
    private static void keepFreedMemory() {
        LINKER.defaultLookup().find("mallopt").ifPresent(mallopt -> {
            MethodHandle handle = LINKER.downcallHandle(mallopt, FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
            try {
                for (int[] setting : LibtorchAbi.mallocSettings()) {
                    int ignored = (int) handle.invokeExact(setting[0], setting[1]); // 0 only for an unknown parameter
                }
            } catch (Throwable t) {
                throw rethrow(t);
            }
        });
    }

    private static SymbolLookup open(Path lib) {
        try {
            return SymbolLookup.libraryLookup(lib, Arena.global());
        } catch (IllegalArgumentException e) {
            throw LibtorchAbi.cannotLoad(lib, e.getMessage(), e);
        }
    }

    /**
     * The typed shims of one device. The CPU ones must exist; a CUDA build may lack some (a missing one fails
     * at its first use, with its name), and without {@code baddbmm_out} Ops composes bmm and add instead.
     */
    private ScalarShims shims(String device, SymbolLookup in) {
        return new ScalarShims(
                shimHandle(in, shim(device, "add_Tensor"), ADDRESS, ADDRESS, JAVA_DOUBLE, ADDRESS),
                shimHandle(in, shim(device, "add_Scalar"), ADDRESS, JAVA_DOUBLE, JAVA_DOUBLE, ADDRESS),
                shimHandle(in, shim(device, "mul_Scalar"), ADDRESS, JAVA_DOUBLE, ADDRESS),
                shimHandle(in, shim(device, "baddbmm_out"), ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_DOUBLE, JAVA_DOUBLE));
    }

    private MethodHandle shimHandle(SymbolLookup in, String name, java.lang.foreign.MemoryLayout... args) {
        if (in == null) {
            return fn(name, args);
        }
        return in.find(name).map(s -> LINKER.downcallHandle(s, FunctionDescriptor.of(JAVA_INT, args))).orElse(null);
    }

    private static MethodHandle present(MethodHandle shim, String name) {
        if (shim == null) {
            throw LibtorchAbi.missingCudaShim(name);
        }
        return shim;
    }

    private Optional<MemorySegment> find(String name) {
        for (int i = libraries.size() - 1; i >= 0; i--) {
            Optional<MemorySegment> s = libraries.get(i).find(name);
            if (s.isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }

    private MemorySegment require(String name) {
        return find(name).orElseThrow(() -> LibtorchAbi.missingSymbol(name, libraryLocation()));
    }

    private MethodHandle fn(String name, java.lang.foreign.MemoryLayout... args) {
        return LINKER.downcallHandle(require(name), FunctionDescriptor.of(JAVA_INT, args));
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    private MemorySegment cString(String s) {
        return cStrings.computeIfAbsent(s, k -> Arena.global().allocateFrom(k));
    }

    @Override
    public String name() {
        return "FFM";
    }

    @Override
    public String version() {
        return "(java.lang.foreign)";
    }

    @Override
    public boolean cudaAvailable() {
        return cudaShims != null;
    }

    @Override
    protected int constant(String symbol) {
        try {
            return (int) LINKER.downcallHandle(require(symbol), FunctionDescriptor.of(JAVA_INT)).invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static MemorySegment dims(MemorySegment into, long[] values) {
        LibtorchAbi.checkDims(values);
        MemorySegment.copy(values, 0, into, JAVA_LONG, 0, values.length);
        return into;
    }

    @Override
    public long fromBuffer(ByteBuffer data, long[] sizes, long[] strides, int dtype) {
        LibtorchAbi.requireDirect(data);
        Scratch s = scratch.get();
        try {
            int rc = (int) fromBlob.invokeExact(MemorySegment.ofBuffer(data), (long) sizes.length, dims(s.sizes, sizes),
                    dims(s.strides, strides), 0L, dtype, cpuType, 0, s.out);
            check(rc, "aoti_torch_create_tensor_from_blob");
            return s.out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long emptyStrided(long[] sizes, long[] strides, int dtype, int deviceType, int deviceIndex) {
        Scratch s = scratch.get();
        try {
            int rc = (int) emptyStrided.invokeExact((long) sizes.length, dims(s.sizes, sizes), dims(s.strides, strides), dtype,
                    deviceType, deviceIndex, s.out);
            check(rc, "aoti_torch_empty_strided");
            return s.out.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void deleteTensor(long handle) {
        try {
            check((int) deleteTensor.invokeExact(MemorySegment.ofAddress(handle)), "aoti_torch_delete_tensor_object");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Calls a getter of the form {@code (handle, T* out)} and returns the 8 bytes at out. */
    private long get(MethodHandle getter, long handle, String function) {
        MemorySegment out = scratch.get().out;
        out.set(JAVA_LONG, 0, 0L);
        try {
            check((int) getter.invokeExact(MemorySegment.ofAddress(handle), out), function);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return out.get(JAVA_LONG, 0);
    }

    @Override
    public long newHandle(long handle) {
        return get(newHandle, handle, "aoti_torch_new_tensor_handle");
    }

    private long[] int64Array(MethodHandle getter, long handle, String function) {
        int dim = (int) get(getDim, handle, "aoti_torch_get_dim");
        long ptr = get(getter, handle, function);
        long[] out = new long[dim];
        MemorySegment.copy(MemorySegment.ofAddress(ptr).reinterpret(dim * 8L), JAVA_LONG, 0, out, 0, dim);
        return out;
    }

    @Override
    public long[] sizes(long handle) {
        return int64Array(getSizes, handle, "aoti_torch_get_sizes");
    }

    @Override
    public long[] strides(long handle) {
        return int64Array(getStrides, handle, "aoti_torch_get_strides");
    }


    @Override
    public int dtype(long handle) {
        return (int) get(getDtype, handle, "aoti_torch_get_dtype");
    }

    @Override
    public int deviceType(long handle) {
        return (int) get(getDeviceType, handle, "aoti_torch_get_device_type");
    }

    @Override
    public int deviceIndex(long handle) {
        return (int) get(getDeviceIndex, handle, "aoti_torch_get_device_index");
    }

    @Override
    public long dataPointer(long handle) {
        return get(getDataPtr, handle, "aoti_torch_get_data_ptr");
    }

    @Override
    public ByteBuffer memory(long address, long byteLength) {
        return MemorySegment.ofAddress(address).reinterpret(byteLength).asByteBuffer();
    }

    @Override
    public boolean releaseFilePages(long address, long length) {
        try {
            return (int) madvise.invokeExact(MemorySegment.ofAddress(address), length, LibtorchAbi.MADV_DONTNEED) == 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void copyInto(long dst, long src) {
        try {
            check((int) copy.invokeExact(MemorySegment.ofAddress(dst), MemorySegment.ofAddress(src), 0), "aoti_torch_copy_");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void zero(long handle) {
        try {
            check((int) zero.invokeExact(MemorySegment.ofAddress(handle)), "aoti_torch_zero_");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void callDispatcher(String op, String overload, long[] stack, int inputs, int outputs) {
        MemorySegment native_ = scratch.get().stack(Math.max(inputs, outputs));
        MemorySegment.copy(stack, 0, native_, JAVA_LONG, 0, inputs);
        try {
            int rc = (int) dispatcher.invokeExact(cString(op), cString(overload), native_, abiVersion);
            check(rc, LibtorchAbi.dispatcherCall(op, overload));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        MemorySegment.copy(native_, JAVA_LONG, 0, stack, 0, outputs);
    }

    @Override
    public long newList(long[] items) {
        MemorySegment out = scratch.get().out;
        try {
            check((int) newList.invokeExact((long) items.length, out), "torch_new_list_reserve_size");
            MemorySegment list = MemorySegment.ofAddress(out.get(JAVA_LONG, 0));
            for (long item : items) {
                check((int) listPushBack.invokeExact(list, item), "torch_list_push_back");
            }
            return list.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long newString(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        MemorySegment text = cString(value);
        MemorySegment out = scratch.get().out;
        try {
            check((int) newString.invokeExact(text, (long) bytes.length, out), "torch_new_string_handle");
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return out.get(JAVA_LONG, 0);
    }

    @Override
    public long newOptional(long value) {
        try {
            MemorySegment box = ((MemorySegment) operatorNew.invokeExact(8L)).reinterpret(8);
            box.set(JAVA_LONG, 0, value);
            return box.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private ScalarShims shimsFor(int deviceType) {
        if (deviceType == cpuType) {
            return cpuShims;
        }
        if (cudaShims == null) {
            throw LibtorchAbi.noCudaLibrary();
        }
        return cudaShims;
    }

    @Override
    public long addTensor(long self, long other, double alpha, int deviceType) {
        MemorySegment out = scratch.get().out;
        try {
            check((int) present(shimsFor(deviceType).addTensor, "add_Tensor").invokeExact(MemorySegment.ofAddress(self), MemorySegment.ofAddress(other),
                    alpha, out), "add_Tensor");
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return out.get(JAVA_LONG, 0);
    }

    @Override
    public long addScalar(long self, double other, double alpha, int deviceType) {
        MemorySegment out = scratch.get().out;
        try {
            check((int) present(shimsFor(deviceType).addScalar, "add_Scalar").invokeExact(MemorySegment.ofAddress(self), other, alpha, out),
                    "add_Scalar");
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return out.get(JAVA_LONG, 0);
    }

    @Override
    public long mulScalar(long self, double other, int deviceType) {
        MemorySegment out = scratch.get().out;
        try {
            check((int) present(shimsFor(deviceType).mulScalar, "mul_Scalar").invokeExact(MemorySegment.ofAddress(self), other, out), "mul_Scalar");
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return out.get(JAVA_LONG, 0);
    }

    @Override
    public boolean hasBaddbmm(int deviceType) {
        return shimsFor(deviceType).baddbmmOut != null;
    }

    @Override
    public void baddbmmOut(long out, long self, long batch1, long batch2, double beta, double alpha, int deviceType) {
        try {
            check((int) present(shimsFor(deviceType).baddbmmOut, "baddbmm_out").invokeExact(MemorySegment.ofAddress(out), MemorySegment.ofAddress(self),
                    MemorySegment.ofAddress(batch1), MemorySegment.ofAddress(batch2), beta, alpha), "baddbmm_out");
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public long scalarTensor(double value) {
        MemorySegment out = scratch.get().out;
        try {
            check((int) scalarToTensor.invokeExact(value, out), "aoti_torch_scalar_to_tensor_float64");
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return out.get(JAVA_LONG, 0);
    }

    @Override
    public void setGradEnabled(boolean enabled) {
        try {
            gradModeSet.invokeExact(enabled);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void setThreads(int threads) {
        try {
            setNumThreads.invokeExact(threads);
            if (openblasSetThreads != null) {
                openblasSetThreads.invokeExact(threads);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void setCallerThreads(int threads) {
        try {
            if (ompSetThreads != null) {
                ompSetThreads.invokeExact(threads);
            }
            if (openblasSetThreads != null) {
                openblasSetThreads.invokeExact(threads);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public int threads() {
        try {
            return (int) getNumThreads.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
