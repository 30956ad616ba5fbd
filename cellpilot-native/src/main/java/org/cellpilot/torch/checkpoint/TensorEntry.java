package org.cellpilot.torch.checkpoint;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;

/**
 * Where one tensor of a checkpoint lies: a strided window (offset and strides in elements) into a storage that
 * several entries may share. Making the tensor is cheap, so a state dict keeps entries and makes tensors on demand.
 */
final class TensorEntry {
    final ByteBuffer storage;
    final DType dtype;
    final long offset;
    final long[] shape;
    final long[] strides;

    /** Checks that the window lies inside the storage, so that a corrupt file fails here and not in libtorch. */
    TensorEntry(ByteBuffer storage, DType dtype, long offset, long[] shape, long[] strides) {
        if (shape.length != strides.length) {
            throw new CheckpointException("tensor size " + Arrays.toString(shape) + " and stride " + Arrays.toString(strides)
                    + " differ in length");
        }
        long capacity = storage.remaining() / dtype.byteSize();
        try {
            long numel = 1;
            long last = offset;
            for (int i = 0; i < shape.length; i++) {
                if (shape[i] < 0 || strides[i] < 0) {
                    throw new CheckpointException("negative size or stride: " + Arrays.toString(shape) + ", "
                            + Arrays.toString(strides));
                }
                numel = Math.multiplyExact(numel, shape[i]);
                last = Math.addExact(last, Math.multiplyExact(Math.max(shape[i] - 1, 0), strides[i]));
            }
            if (offset < 0 || (numel == 0 ? offset > capacity : last >= capacity)) {
                throw new CheckpointException("tensor of size " + Arrays.toString(shape) + ", stride " + Arrays.toString(strides)
                        + " at offset " + offset + " reaches past its storage of " + capacity + " " + dtype + " elements");
            }
        } catch (ArithmeticException overflow) {
            throw new CheckpointException("tensor size " + Arrays.toString(shape) + " with stride " + Arrays.toString(strides)
                    + " overflows");
        }
        this.storage = storage;
        this.dtype = dtype;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides;
    }

    static TensorEntry contiguous(ByteBuffer storage, DType dtype, long[] shape) {
        return new TensorEntry(storage, dtype, 0, shape, Tensor.contiguousStrides(shape));
    }

    /** A new tensor aliasing the storage, owned by the caller whatever scope is open. */
    Tensor create() {
        return Scope.detach(FileRegions.isMapping(storage) ? Tensor.viewOfMappedFile(storage, dtype, offset, shape, strides)
                : Tensor.view(storage, dtype, offset, shape, strides));
    }
}
