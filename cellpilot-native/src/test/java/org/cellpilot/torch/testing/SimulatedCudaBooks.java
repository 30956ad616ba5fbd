package org.cellpilot.torch.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test after which libtorch holds tensor handles that no {@link Tensor} owns, by the books of the
 * {@link SimulatedCudaBackend}: a native leak that {@link NoTensorLeaks}, which counts Java tensors, cannot see.
 */
public final class SimulatedCudaBooks implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) {
        assertEquals(Tensor.liveCount(), SimulatedCudaBackend.liveHandles(), "tensor handles alive in libtorch");
    }
}
