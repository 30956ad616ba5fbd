package org.cellpilot.torch.jna;

import static org.cellpilot.torch.spi.LibtorchAbi.check;

import com.sun.jna.Function;
import com.sun.jna.FunctionMapper;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cellpilot.torch.jna.Natives.CpuShims;
import org.cellpilot.torch.jna.Natives.CudaBaddbmm;
import org.cellpilot.torch.jna.Natives.CudaShims;
import org.cellpilot.torch.jna.Natives.Libtorch;
import org.cellpilot.torch.loader.NativeLibraries;
import org.cellpilot.torch.spi.LibtorchAbi;
import org.cellpilot.torch.spi.LibtorchBackend;

/**
 * {@link TorchBackend} over JNA, for Java 17 to 21 hosts: the same C functions as the FFM backend, bound with
 * direct mapping (see {@link Natives}). Handles stay {@code long}; call arguments go through per-thread native
 * scratch memory, and a direct ByteBuffer reaches libtorch in place, never copied.
 */
public final class JnaBackend extends LibtorchBackend {
    private final List<NativeLibrary> libraries = new ArrayList<>();
    private final boolean cudaLoaded;
    private final boolean cudaShims;
    private final boolean cudaBaddbmm;
    private final Function openblasSetThreads;
    private final Function ompSetThreads;
    private final Function madvise = Function.getFunction("c", "madvise");
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);
    private final ConcurrentHashMap<String, Memory> cStrings = new ConcurrentHashMap<>();

    /**
     * Native 64-bit slots for call arguments, read and written through a direct buffer: the JIT compiles those
     * accesses to plain loads and stores, where JNA's Memory would make a JNI call for each.
     */
    private static final class Slots {
        final ByteBuffer bytes;
        final LongBuffer longs;
        final long address;

        Slots(int count) {
            bytes = ByteBuffer.allocateDirect(count * 8).order(ByteOrder.nativeOrder());
            longs = bytes.asLongBuffer();
            address = address(bytes);
        }

        long put(long[] values, int count) {
            longs.put(0, values, 0, count);
            return address;
        }
    }

    /** Per-thread argument memory, so that a call allocates nothing. */
    private static final class Scratch {
        final Slots out = new Slots(8);
        final long outAddress = out.address;
        final Slots sizes = new Slots(LibtorchAbi.MAX_DIMS);
        final Slots strides = new Slots(LibtorchAbi.MAX_DIMS);
        Slots stack = new Slots(32);

        Slots stack(int n) {
            if (stack.longs.capacity() < n) {
                stack = new Slots(n);
            }
            return stack;
        }

        long result() {
            return out.longs.get(0);
        }
    }

    public static JnaBackend load(NativeLibraries.Plan plan) {
        requireJna();
        return new JnaBackend(plan);
    }

    /** JNA's own native part is extracted from its jar at first use; without it nothing below can run. */
    private static void requireJna() {
        try {
            if (Native.POINTER_SIZE != 8) {
                throw new IllegalStateException("CellPilot's JNA backend needs a 64-bit JVM");
            }
        } catch (LinkageError e) {
            throw new IllegalStateException("cannot load JNA " + Native.VERSION + " or its native library libjnidispatch.so (extracted "
                    + "from the JNA jar into " + System.getProperty("jna.tmpdir", System.getProperty("java.io.tmpdir")) + "): " + e
                    + ". Put jna-" + Native.VERSION + ".jar on the class path, give -Djna.tmpdir a writable folder that allows "
                    + "executables, or run on Java 22+ (the FFM backend needs no JNA)", e);
        }
    }

    private JnaBackend(NativeLibraries.Plan plan) {
        super(plan.directory().toString());
        preferSleepingThreadPools();
        keepFreedMemory();
        for (Path lib : plan.libraries()) {
            libraries.add(open(lib, Map.of()));
        }
        Path torchCpu = plan.libraries().get(plan.libraries().size() - 1);
        for (Path lib : plan.cudaLibraries()) {
            libraries.add(open(lib, Map.of()));
        }
        quietLog(JnaLibc.get(), JnaLibc.level(variable(LibtorchAbi.LOG_LEVEL)));
        if (find(LibtorchAbi.ABI_VERSION) == null || find(LibtorchAbi.DISPATCHER) == null) {
            throw LibtorchAbi.noStableAbi(libraryLocation());
        }
        register(Libtorch.class, torchCpu, (library, method) -> {
            switch (method.getName()) {
                case "setNumThreads":
                    return LibtorchAbi.SET_NUM_THREADS;
                case "getNumThreads":
                    return LibtorchAbi.GET_NUM_THREADS;
                default:
                    return method.getName();
            }
        });
        register(CpuShims.class, torchCpu, (library, method) -> LibtorchAbi.shim("cpu", method.getName()));
        register(Natives.Cxx.class, Path.of(LibtorchAbi.LIBSTDCXX), (library, method) -> LibtorchAbi.OPERATOR_NEW);
        cudaLoaded = !plan.cudaLibraries().isEmpty();
        Path torchCuda = cudaLoaded ? plan.cudaLibraries().get(plan.cudaLibraries().size() - 1) : null;
        cudaShims = cudaLoaded && registerIfPresent(CudaShims.class, torchCuda, "add_Tensor", "add_Scalar", "mul_Scalar");
        cudaBaddbmm = cudaLoaded && registerIfPresent(CudaBaddbmm.class, torchCuda, "baddbmm_out");
        openblasSetThreads = find(LibtorchAbi.OPENBLAS_SET_NUM_THREADS);
        ompSetThreads = find(LibtorchAbi.OMP_SET_NUM_THREADS);
        readConstants(Libtorch.aoti_torch_abi_version());
    }

    /** See {@link LibtorchAbi#SLEEPING_THREAD_POOLS}; set before the libraries load, without overwriting the user's. */
    private static void preferSleepingThreadPools() {
        Function setenv = Function.getFunction("c", "setenv");
        for (String[] kv : LibtorchAbi.SLEEPING_THREAD_POOLS) {
            if (setenv.invokeInt(new Object[] {kv[0], kv[1], 0}) != 0) {
                throw new IllegalStateException("setenv(" + kv[0] + ") failed");
            }
        }
    }

    /** See {@link LibtorchAbi#mallocSettings}; a C library without {@code mallopt} (musl) is left as it is. */
    private static void keepFreedMemory() {
        Function mallopt;
        try {
            mallopt = Function.getFunction("c", "mallopt");
        } catch (UnsatisfiedLinkError e) {
            return;
        }
        for (int[] setting : LibtorchAbi.mallocSettings()) {
            mallopt.invokeInt(new Object[] {setting[0], setting[1]}); // 0 only for an unknown parameter
        }
    }

    private static NativeLibrary open(Path lib, Map<String, ?> options) {
        try {
            return NativeLibrary.getInstance(lib.toString(), options);
        } catch (UnsatisfiedLinkError e) {
            throw LibtorchAbi.cannotLoad(lib, e.getMessage(), e);
        }
    }

    /** Binds {@code natives}' static native methods to {@code library}, whose symbols {@code names} gives. */
    private void register(Class<?> natives, Path library, FunctionMapper names) {
        NativeLibrary lib = open(library, Map.of(Library.OPTION_FUNCTION_MAPPER, names));
        try {
            Native.register(natives, lib);
        } catch (UnsatisfiedLinkError | IllegalArgumentException e) {
            throw new IllegalStateException("libtorch at " + libraryLocation() + " lacks a function CellPilot needs: " + e.getMessage(), e);
        }
    }

    /** Registers the CUDA shims {@code ops} only when libtorch_cuda exports them all; a missing one fails at use. */
    private boolean registerIfPresent(Class<?> natives, Path torchCuda, String... ops) {
        for (String op : ops) {
            if (find(LibtorchAbi.shim("cuda", op)) == null) {
                return false;
            }
        }
        register(natives, torchCuda, (library, method) -> LibtorchAbi.shim("cuda", method.getName()));
        return true;
    }

    /** A function from the most recently loaded library that has it, or null. */
    private Function find(String name) {
        return lookUp(library -> library.getFunction(name));
    }

    /** The address of a global variable from the most recently loaded library that has it, or null. */
    private Pointer variable(String name) {
        return lookUp(library -> library.getGlobalVariableAddress(name));
    }

    private <T> T lookUp(java.util.function.Function<NativeLibrary, T> symbol) {
        for (int i = libraries.size() - 1; i >= 0; i--) {
            try {
                return symbol.apply(libraries.get(i));
            } catch (UnsatisfiedLinkError absent) {
                // not in this one: look in the library loaded before it
            }
        }
        return null;
    }

    @Override
    protected int constant(String symbol) {
        Function f = find(symbol);
        if (f == null) {
            throw LibtorchAbi.missingSymbol(symbol, libraryLocation());
        }
        return f.invokeInt(new Object[0]);
    }

    private long cString(String s) {
        return Pointer.nativeValue(cStrings.computeIfAbsent(s, k -> {
            byte[] bytes = k.getBytes(StandardCharsets.UTF_8);
            Memory m = new Memory(bytes.length + 1L);
            m.write(0, bytes, 0, bytes.length);
            m.setByte(bytes.length, (byte) 0);
            return m;
        }));
    }

    private static long dims(Slots into, long[] values) {
        LibtorchAbi.checkDims(values);
        return into.put(values, values.length);
    }

    @Override
    public String name() {
        return "JNA";
    }

    @Override
    public String version() {
        return Native.VERSION + " (direct mapping)";
    }

    @Override
    public boolean cudaAvailable() {
        return cudaLoaded;
    }

    @Override
    public long fromBuffer(ByteBuffer data, long[] sizes, long[] strides, int dtype) {
        LibtorchAbi.requireDirect(data);
        Scratch s = scratch.get();
        long address = address(data);
        check(Libtorch.aoti_torch_create_tensor_from_blob(address, sizes.length, dims(s.sizes, sizes), dims(s.strides, strides), 0L,
                dtype, cpuType, 0, s.outAddress), "aoti_torch_create_tensor_from_blob");
        return s.result();
    }

    /**
     * Where the buffer's contents start, as MemorySegment.ofBuffer sees it. The JDK maps an empty file region to
     * address 0, which JNA refuses; libtorch never reads a tensor of no elements, so 0 is passed on.
     */
    private static long address(ByteBuffer data) {
        return data.capacity() == 0 ? 0L : Pointer.nativeValue(Native.getDirectBufferPointer(data)) + data.position();
    }

    /** The calling thread's out slot, where a function writes the handle it makes. */
    private long out() {
        return scratch.get().outAddress;
    }

    /** Checks a call's error code and returns what it wrote to the out slot. */
    private long result(int rc, String function) {
        check(rc, function);
        return scratch.get().result();
    }

    @Override
    public long emptyStrided(long[] sizes, long[] strides, int dtype, int deviceType, int deviceIndex) {
        Scratch s = scratch.get();
        check(Libtorch.aoti_torch_empty_strided(sizes.length, dims(s.sizes, sizes), dims(s.strides, strides), dtype, deviceType,
                deviceIndex, s.outAddress), "aoti_torch_empty_strided");
        return s.result();
    }

    @Override
    public void deleteTensor(long handle) {
        check(Libtorch.aoti_torch_delete_tensor_object(handle), "aoti_torch_delete_tensor_object");
    }

    @Override
    public long newHandle(long handle) {
        return result(Libtorch.aoti_torch_new_tensor_handle(handle, out()), "aoti_torch_new_tensor_handle");
    }

    private long[] int64Array(long handle, boolean strides) {
        Scratch s = scratch.get();
        check(Libtorch.aoti_torch_get_dim(handle, s.outAddress), "aoti_torch_get_dim");
        int dim = (int) s.result();
        if (strides) {
            check(Libtorch.aoti_torch_get_strides(handle, s.outAddress), "aoti_torch_get_strides");
        } else {
            check(Libtorch.aoti_torch_get_sizes(handle, s.outAddress), "aoti_torch_get_sizes");
        }
        return dim == 0 ? new long[0] : new Pointer(s.result()).getLongArray(0, dim);
    }

    @Override
    public long[] sizes(long handle) {
        return int64Array(handle, false);
    }

    @Override
    public long[] strides(long handle) {
        return int64Array(handle, true);
    }

    /** The int32 getters write the first 4 bytes of the out slot. */
    private int int32(int rc, String function) {
        check(rc, function);
        return scratch.get().out.bytes.getInt(0);
    }

    @Override
    public int dtype(long handle) {
        return int32(Libtorch.aoti_torch_get_dtype(handle, out()), "aoti_torch_get_dtype");
    }

    @Override
    public int deviceType(long handle) {
        return int32(Libtorch.aoti_torch_get_device_type(handle, out()), "aoti_torch_get_device_type");
    }

    @Override
    public int deviceIndex(long handle) {
        return int32(Libtorch.aoti_torch_get_device_index(handle, out()), "aoti_torch_get_device_index");
    }

    @Override
    public long dataPointer(long handle) {
        return result(Libtorch.aoti_torch_get_data_ptr(handle, out()), "aoti_torch_get_data_ptr");
    }

    @Override
    public ByteBuffer memory(long address, long byteLength) {
        return new Pointer(address).getByteBuffer(0, byteLength);
    }

    @Override
    public boolean releaseFilePages(long address, long length) {
        return madvise.invokeInt(new Object[] {new Pointer(address), length, LibtorchAbi.MADV_DONTNEED}) == 0;
    }

    @Override
    public void copyInto(long dst, long src) {
        check(Libtorch.aoti_torch_copy_(dst, src, 0), "aoti_torch_copy_");
    }

    @Override
    public void zero(long handle) {
        check(Libtorch.aoti_torch_zero_(handle), "aoti_torch_zero_");
    }

    @Override
    public void callDispatcher(String op, String overload, long[] stack, int inputs, int outputs) {
        Slots native_ = scratch.get().stack(Math.max(inputs, outputs));
        check(Libtorch.torch_call_dispatcher(cString(op), cString(overload), native_.put(stack, inputs), abiVersion()),
                LibtorchAbi.dispatcherCall(op, overload));
        native_.longs.get(0, stack, 0, outputs);
    }

    @Override
    public long newList(long[] items) {
        Scratch s = scratch.get();
        check(Libtorch.torch_new_list_reserve_size(items.length, s.outAddress), "torch_new_list_reserve_size");
        long list = s.result();
        for (long item : items) {
            check(Libtorch.torch_list_push_back(list, item), "torch_list_push_back");
        }
        return list;
    }

    @Override
    public long newString(String value) {
        long length = value.getBytes(StandardCharsets.UTF_8).length;
        return result(Libtorch.torch_new_string_handle(cString(value), length, out()), "torch_new_string_handle");
    }

    @Override
    public long newOptional(long value) {
        long box = Natives.Cxx.operatorNew(8L);
        new Pointer(box).setLong(0, value);
        return box;
    }

    /** Throws unless CUDA's shims are bound when {@code deviceType} is not the CPU; true for the CPU. */
    private boolean cpu(int deviceType, boolean cudaShimBound, String op) {
        if (deviceType == cpuType) {
            return true;
        }
        if (!cudaLoaded) {
            throw LibtorchAbi.noCudaLibrary();
        }
        if (!cudaShimBound) {
            throw LibtorchAbi.missingCudaShim(op);
        }
        return false;
    }

    @Override
    public long addTensor(long self, long other, double alpha, int deviceType) {
        long out = out();
        return result(cpu(deviceType, cudaShims, "add_Tensor") ? CpuShims.add_Tensor(self, other, alpha, out) : CudaShims.add_Tensor(self, other, alpha, out), "add_Tensor");
    }

    @Override
    public long addScalar(long self, double other, double alpha, int deviceType) {
        long out = out();
        return result(cpu(deviceType, cudaShims, "add_Scalar") ? CpuShims.add_Scalar(self, other, alpha, out) : CudaShims.add_Scalar(self, other, alpha, out), "add_Scalar");
    }

    @Override
    public long mulScalar(long self, double other, int deviceType) {
        long out = out();
        return result(cpu(deviceType, cudaShims, "mul_Scalar") ? CpuShims.mul_Scalar(self, other, out) : CudaShims.mul_Scalar(self, other, out), "mul_Scalar");
    }

    @Override
    public boolean hasBaddbmm(int deviceType) {
        if (deviceType == cpuType) {
            return true;
        }
        if (!cudaLoaded) {
            throw LibtorchAbi.noCudaLibrary();
        }
        return cudaBaddbmm;
    }

    @Override
    public void baddbmmOut(long out, long self, long batch1, long batch2, double beta, double alpha, int deviceType) {
        int rc = cpu(deviceType, cudaBaddbmm, "baddbmm_out") ? CpuShims.baddbmm_out(out, self, batch1, batch2, beta, alpha)
                : CudaBaddbmm.baddbmm_out(out, self, batch1, batch2, beta, alpha);
        check(rc, "baddbmm_out");
    }

    @Override
    public long scalarTensor(double value) {
        return result(Libtorch.aoti_torch_scalar_to_tensor_float64(value, out()), "aoti_torch_scalar_to_tensor_float64");
    }

    @Override
    public void setGradEnabled(boolean enabled) {
        Libtorch.aoti_torch_grad_mode_set_enabled(enabled);
    }

    @Override
    public void setThreads(int threads) {
        Libtorch.setNumThreads(threads);
        if (openblasSetThreads != null) {
            openblasSetThreads.invokeVoid(new Object[] {threads});
        }
    }

    @Override
    public void setCallerThreads(int threads) {
        for (Function f : new Function[] {ompSetThreads, openblasSetThreads}) {
            if (f != null) {
                f.invokeVoid(new Object[] {threads});
            }
        }
    }

    @Override
    public int threads() {
        return Libtorch.getNumThreads();
    }
}
