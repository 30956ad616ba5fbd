package org.cellpilot.torch.testing;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Torch;
import org.cellpilot.torch.spi.NativeCallException;
import org.cellpilot.torch.spi.ForwardingTorchBackend;
import org.cellpilot.torch.spi.TorchBackend;

/**
 * A CUDA device for machines without one, so that tests can prove that {@code Device.cuda(0)} places work
 * correctly. Installed through {@link Torch}'s diagnostics hook
 * ({@code -Dcellpilot.backend.decorator=org.cellpilot.torch.testing.SimulatedCudaBackend}), it computes everything
 * on the CPU through the real backend, but remembers the device the caller put every live tensor handle on, and
 * refuses what a real CUDA libtorch refuses:
 * <ul>
 * <li>an op on tensors of both devices, except 0-dim CPU tensors (ATen takes them as scalars) and copies;</li>
 * <li>a per-device shim called with the other device's type, which on a GPU would run the wrong kernels;</li>
 * <li>the host reading a CUDA tensor through its data pointer, which on a GPU points into device memory.</li>
 * </ul>
 * Ops on CUDA tensors are counted ({@link #cudaOps()}), so that a test can show that the work ran "on the GPU"
 * and fails when a device request is silently ignored.
 *
 * <p>Over a libtorch that has CUDA ({@code scripts/gpu-check}), nothing is simulated: every call goes to the real
 * device, and only the books, the refusals and the counts remain, so the same tests run on a real GPU.
 */
public final class SimulatedCudaBackend extends ForwardingTorchBackend {
    private static final Device CPU = Device.cpu();
    /** The simulator made last; {@link #installed()} checks that Torch runs on it. */
    private static volatile SimulatedCudaBackend last;

    private final int cpuType;
    private final int cudaType;
    private final boolean onRealGpu;
    /**
     * The logical device of every live tensor handle. Handles are pointers that libtorch reuses once they are freed,
     * so a handle is forgotten as soon as it is deleted or consumed by an op.
     */
    private final Map<Long, Device> devices = new ConcurrentHashMap<>();
    /** Lists and optionals that hold tensors and that no op has consumed yet, with what they hold. */
    private final Map<Long, long[]> containers = new ConcurrentHashMap<>();
    private final LongAdder cudaOps = new LongAdder();
    private final LongAdder cpuOps = new LongAdder();
    private final Map<String, LongAdder> cudaOpsByName = new ConcurrentHashMap<>();

    public SimulatedCudaBackend(TorchBackend real) {
        super(real);
        this.cpuType = real.deviceTypeCpu();
        this.cudaType = real.deviceTypeCuda();
        this.onRealGpu = real.cudaAvailable();
        last = this;
    }

    /** Ops that ran on CUDA tensors in this JVM (copies to and from the device included). */
    public static long cudaOps() {
        return installed().cudaOps.sum();
    }

    /** Ops that ran on CPU tensors only in this JVM, counted as {@link #cudaOps()} is: the work that stayed on the host. */
    public static long cpuOps() {
        return installed().cpuOps.sum();
    }

    /** Runs of one op ({@code "aten::linear"}, {@code "aten::add.Tensor"}, …) on CUDA tensors in this JVM. */
    public static long cudaOps(String op) {
        LongAdder n = installed().cudaOpsByName.get(op);
        return n == null ? 0 : n.sum();
    }

    /** Whether Torch runs on this decorator over a libtorch with a real CUDA device, where results may differ from the CPU's in the last bits. */
    public static boolean onRealGpu() {
        SimulatedCudaBackend s = last;
        return s != null && s.onRealGpu && Torch.get().backendName().equals(s.name());
    }

    /** Tensor handles alive in libtorch, by the simulator's books; equal to {@code Tensor.liveCount()} when it is right. */
    public static long liveHandles() {
        return installed().devices.size();
    }

    /** The simulator that Torch runs on; an error names the property to set when the JVM started without it. */
    public static SimulatedCudaBackend installed() {
        String running = Torch.get().backendName();
        SimulatedCudaBackend s = last;
        if (s == null || !running.equals(s.name())) {
            throw new IllegalStateException("Torch runs on the " + running + " backend, not the simulated CUDA one: start the JVM "
                    + "with -D" + Torch.DECORATOR_PROPERTY + "=" + SimulatedCudaBackend.class.getName()
                    + " (the simulated-cuda surefire execution does)");
        }
        return s;
    }

    // ---- bookkeeping ----------------------------------------------------------------------------------------

    private long track(long handle, Device device) {
        if (devices.putIfAbsent(handle, device) != null) {
            throw new IllegalStateException("simulated CUDA: libtorch returned handle 0x" + Long.toHexString(handle)
                    + ", which its books still hold: a free or a consumption went unrecorded");
        }
        return handle;
    }

    private Device deviceOf(long handle) {
        Device d = devices.get(handle);
        if (d == null) {
            throw new IllegalStateException("simulated CUDA: unknown tensor handle 0x" + Long.toHexString(handle)
                    + " (freed, consumed by an op, or never made)");
        }
        return d;
    }

    private Device device(int deviceType, int deviceIndex) {
        if (deviceType == cpuType) {
            return CPU;
        }
        if (deviceType == cudaType) {
            return Device.cuda(deviceIndex);
        }
        throw new IllegalArgumentException("simulated CUDA: unknown device type code " + deviceType);
    }

    private void remember(long container, long[] items) {
        for (long item : items) {
            if (devices.containsKey(item) || containers.containsKey(item)) {
                containers.put(container, items.clone());
                return;
            }
        }
    }

    /** The tensor handles in a dispatcher argument, directly or inside lists and optionals, which it forgets. */
    private void collectTensors(long value, List<Long> into) {
        if (devices.containsKey(value)) {
            into.add(value);
            return;
        }
        long[] held = containers.remove(value);
        if (held != null) {
            for (long item : held) {
                collectTensors(item, into);
            }
        }
    }

    /**
     * The device an op on {@code tensors} runs on, or a refusal where real libtorch would refuse it. CPU tensors
     * of 0 dimensions go with any device; {@code mixable} also lets CPU and CUDA tensors meet (copies).
     */
    private Device placement(String op, List<Long> tensors, boolean mixable) {
        Device cuda = null;
        boolean cpuTensor = false;
        for (long h : tensors) {
            Device d = deviceOf(h);
            if (d.isCpu()) {
                cpuTensor |= delegate.sizes(h).length > 0;
            } else if (cuda == null) {
                cuda = d;
            } else if (!cuda.equals(d) && !mixable) {
                throw refused(op, "tensors on " + cuda + " and " + d);
            }
        }
        if (cuda != null && cpuTensor && !mixable) {
            throw refused(op, "tensors on cuda and cpu (a CPU tensor that is not 0-dim met tensors on " + cuda + ")");
        }
        return cuda == null ? CPU : cuda;
    }

    /** As {@link #placement} for a per-device shim, which must also be the shim of the tensors' device. */
    private Device shimPlacement(String op, int deviceType, long... tensors) {
        List<Long> handles = new ArrayList<>(tensors.length);
        for (long h : tensors) {
            handles.add(h);
        }
        Device d = placement(op, handles, false);
        boolean cudaShim = deviceType == cudaType;
        if (cudaShim == d.isCpu()) {
            throw refused(op, "the " + (cudaShim ? "cuda" : "cpu") + " shim was given tensors on " + d);
        }
        return d;
    }

    /** The device type the real backend is given: the requested one on a real GPU, else the CPU's. */
    private int computeOn(int deviceType) {
        return onRealGpu ? deviceType : cpuType;
    }

    private static NativeCallException refused(String op, String why) {
        return new NativeCallException(op, "simulated CUDA refuses " + why);
    }

    private void count(String op, Device device) {
        if (device.isCpu()) {
            cpuOps.increment();
        } else {
            cudaOps.increment();
            cudaOpsByName.computeIfAbsent(op, k -> new LongAdder()).increment();
        }
    }

    private long result(String op, Device device, long handle) {
        count(op, device);
        return track(handle, device);
    }

    // ---- the backend ----------------------------------------------------------------------------------------

    @Override
    public String name() {
        return (onRealGpu ? "CUDA books over " : "simulated CUDA over ") + delegate.name();
    }

    @Override
    public boolean cudaAvailable() {
        return true;
    }

    @Override
    public long fromBuffer(ByteBuffer data, long[] sizes, long[] strides, int dtype) {
        return track(delegate.fromBuffer(data, sizes, strides, dtype), CPU);
    }

    @Override
    public long emptyStrided(long[] sizes, long[] strides, int dtype, int deviceType, int deviceIndex) {
        Device d = device(deviceType, deviceIndex);
        return track(delegate.emptyStrided(sizes, strides, dtype, computeOn(deviceType), onRealGpu ? deviceIndex : 0), d);
    }

    @Override
    public void deleteTensor(long handle) {
        deviceOf(handle);
        devices.remove(handle);
        delegate.deleteTensor(handle);
    }

    @Override
    public long newHandle(long handle) {
        return track(delegate.newHandle(handle), deviceOf(handle));
    }

    @Override
    public int deviceType(long handle) {
        return deviceOf(handle).isCpu() ? cpuType : cudaType;
    }

    @Override
    public int deviceIndex(long handle) {
        return deviceOf(handle).index();
    }

    @Override
    public long dataPointer(long handle) {
        Device d = deviceOf(handle);
        if (!d.isCpu()) {
            throw new NativeCallException("aoti_torch_get_data_ptr", "simulated CUDA: the tensor is on " + d
                    + ", and host code must not read device memory; copy it to the CPU first");
        }
        return delegate.dataPointer(handle);
    }

    /** Copies may cross devices: they are how tensors get to the GPU and back. */
    @Override
    public void copyInto(long dst, long src) {
        Device to = deviceOf(dst);
        Device from = deviceOf(src);
        delegate.copyInto(dst, src);
        count("aten::copy_", to.isCpu() ? from : to);
    }

    @Override
    public void zero(long handle) {
        Device d = deviceOf(handle);
        delegate.zero(handle);
        count("aten::zero_", d);
    }

    @Override
    public void callDispatcher(String op, String overload, long[] stack, int inputs, int outputs) {
        String name = overload.isEmpty() ? op : op + "." + overload;
        List<Long> consumed = new ArrayList<>();
        for (int i = 0; i < inputs; i++) {
            collectTensors(stack[i], consumed);
        }
        Device device;
        try {
            device = placement(name, consumed, op.equals("aten::copy_"));
        } catch (NativeCallException e) {
            // The call consumes its arguments even when libtorch refuses it. (The list and optional boxes that
            // held some of them cannot be freed through the SPI; a refused call leaks those few bytes.)
            consumed.forEach(this::deleteTensor);
            throw e;
        }
        consumed.forEach(devices::remove);
        delegate.callDispatcher(op, overload, stack, inputs, outputs);
        for (int i = 0; i < outputs; i++) {
            track(stack[i], device);
        }
        count(name, device);
    }

    @Override
    public long newList(long[] items) {
        long list = delegate.newList(items);
        remember(list, items);
        return list;
    }

    @Override
    public long newOptional(long value) {
        long box = delegate.newOptional(value);
        remember(box, new long[] {value});
        return box;
    }

    @Override
    public long addTensor(long self, long other, double alpha, int deviceType) {
        Device d = shimPlacement("aten::add.Tensor", deviceType, self, other);
        return result("aten::add.Tensor", d, delegate.addTensor(self, other, alpha, computeOn(deviceType)));
    }

    @Override
    public long addScalar(long self, double other, double alpha, int deviceType) {
        Device d = shimPlacement("aten::add.Scalar", deviceType, self);
        return result("aten::add.Scalar", d, delegate.addScalar(self, other, alpha, computeOn(deviceType)));
    }

    @Override
    public long mulScalar(long self, double other, int deviceType) {
        Device d = shimPlacement("aten::mul.Scalar", deviceType, self);
        return result("aten::mul.Scalar", d, delegate.mulScalar(self, other, computeOn(deviceType)));
    }

    @Override
    public boolean hasBaddbmm(int deviceType) {
        return delegate.hasBaddbmm(computeOn(deviceType));
    }

    @Override
    public void baddbmmOut(long out, long self, long batch1, long batch2, double beta, double alpha, int deviceType) {
        Device d = shimPlacement("aten::baddbmm.out", deviceType, out, self, batch1, batch2);
        delegate.baddbmmOut(out, self, batch1, batch2, beta, alpha, computeOn(deviceType));
        count("aten::baddbmm.out", d);
    }

    @Override
    public long scalarTensor(double value) {
        return track(delegate.scalarTensor(value), CPU);
    }

}
