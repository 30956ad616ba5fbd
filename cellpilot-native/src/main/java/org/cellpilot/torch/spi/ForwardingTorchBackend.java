package org.cellpilot.torch.spi;

import java.nio.ByteBuffer;

/**
 * A {@link TorchBackend} that forwards every call to another one: the base of decorators (see the
 * {@code cellpilot.backend.decorator} property of {@code Torch}), which override only the calls they observe.
 */
public abstract class ForwardingTorchBackend implements TorchBackend {
    protected final TorchBackend delegate;

    protected ForwardingTorchBackend(TorchBackend delegate) {
        this.delegate = delegate;
    }

    @Override
    public String libraryLocation() {
        return delegate.libraryLocation();
    }

    @Override
    public long abiVersion() {
        return delegate.abiVersion();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public String failureReason(Runnable call) {
        return delegate.failureReason(call);
    }

    @Override
    public String version() {
        return delegate.version();
    }

    @Override
    public boolean cudaAvailable() {
        return delegate.cudaAvailable();
    }

    @Override
    public int dtypeCode(String name) {
        return delegate.dtypeCode(name);
    }

    @Override
    public int deviceTypeCpu() {
        return delegate.deviceTypeCpu();
    }

    @Override
    public int deviceTypeCuda() {
        return delegate.deviceTypeCuda();
    }

    @Override
    public long fromBuffer(ByteBuffer data, long[] sizes, long[] strides, int dtype) {
        return delegate.fromBuffer(data, sizes, strides, dtype);
    }

    @Override
    public long emptyStrided(long[] sizes, long[] strides, int dtype, int deviceType, int deviceIndex) {
        return delegate.emptyStrided(sizes, strides, dtype, deviceType, deviceIndex);
    }

    @Override
    public void deleteTensor(long handle) {
        delegate.deleteTensor(handle);
    }

    @Override
    public long newHandle(long handle) {
        return delegate.newHandle(handle);
    }

    @Override
    public long[] sizes(long handle) {
        return delegate.sizes(handle);
    }

    @Override
    public long[] strides(long handle) {
        return delegate.strides(handle);
    }

    @Override
    public int dtype(long handle) {
        return delegate.dtype(handle);
    }

    @Override
    public int deviceType(long handle) {
        return delegate.deviceType(handle);
    }

    @Override
    public int deviceIndex(long handle) {
        return delegate.deviceIndex(handle);
    }

    @Override
    public long dataPointer(long handle) {
        return delegate.dataPointer(handle);
    }

    @Override
    public ByteBuffer memory(long address, long byteLength) {
        return delegate.memory(address, byteLength);
    }

    @Override
    public boolean releaseFilePages(long address, long length) {
        return delegate.releaseFilePages(address, length);
    }

    @Override
    public void copyInto(long dst, long src) {
        delegate.copyInto(dst, src);
    }

    @Override
    public void zero(long handle) {
        delegate.zero(handle);
    }

    @Override
    public void callDispatcher(String op, String overload, long[] stack, int inputs, int outputs) {
        delegate.callDispatcher(op, overload, stack, inputs, outputs);
    }

    @Override
    public long newList(long[] items) {
        return delegate.newList(items);
    }

    @Override
    public long newString(String value) {
        return delegate.newString(value);
    }

    @Override
    public long newOptional(long value) {
        return delegate.newOptional(value);
    }

    @Override
    public long addTensor(long self, long other, double alpha, int deviceType) {
        return delegate.addTensor(self, other, alpha, deviceType);
    }

    @Override
    public long addScalar(long self, double other, double alpha, int deviceType) {
        return delegate.addScalar(self, other, alpha, deviceType);
    }

    @Override
    public long mulScalar(long self, double other, int deviceType) {
        return delegate.mulScalar(self, other, deviceType);
    }

    @Override
    public boolean hasBaddbmm(int deviceType) {
        return delegate.hasBaddbmm(deviceType);
    }

    @Override
    public void baddbmmOut(long out, long self, long batch1, long batch2, double beta, double alpha, int deviceType) {
        delegate.baddbmmOut(out, self, batch1, batch2, beta, alpha, deviceType);
    }

    @Override
    public long scalarTensor(double value) {
        return delegate.scalarTensor(value);
    }

    @Override
    public void setGradEnabled(boolean enabled) {
        delegate.setGradEnabled(enabled);
    }

    @Override
    public void setCallerThreads(int threads) {
        delegate.setCallerThreads(threads);
    }

    @Override
    public void setThreads(int threads) {
        delegate.setThreads(threads);
    }

    @Override
    public int threads() {
        return delegate.threads();
    }
}
