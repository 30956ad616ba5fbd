package org.cellpilot.torch.spi;

/**
 * The part of a {@link TorchBackend} that does not depend on how C functions are called: the library's location,
 * ABI version and constants. The FFM and JNA backends extend it and bind the functions their own way.
 */
public abstract class LibtorchBackend implements TorchBackend {
    private final String location;
    private long abiVersion;
    /** Device type codes of the loaded library, read once by {@link #readConstants}. */
    protected int cpuType;
    protected int cudaType;

    protected LibtorchBackend(String location) {
        this.location = location;
    }

    /** Reads the constants that every call needs; a subclass calls it once its functions are bound. */
    protected final void readConstants(long abiVersion) {
        this.abiVersion = abiVersion;
        cpuType = constant("aoti_torch_device_type_cpu");
        cudaType = constant("aoti_torch_device_type_cuda");
    }

    /** Calls {@code int symbol(void)}: libtorch's constants are functions. */
    protected abstract int constant(String symbol);

    @Override
    public String libraryLocation() {
        return location;
    }

    @Override
    public long abiVersion() {
        return abiVersion;
    }

    @Override
    public int dtypeCode(String name) {
        return constant("aoti_torch_dtype_" + name);
    }

    @Override
    public int deviceTypeCpu() {
        return cpuType;
    }

    @Override
    public int deviceTypeCuda() {
        return cudaType;
    }
}
