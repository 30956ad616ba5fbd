package org.cellpilot.torch.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Fails a test that leaves more (or fewer) live tensor handles than it found. */
public final class NoTensorLeaks implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoTensorLeaks.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("live", Tensor.liveCount());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        assertEquals(context.getStore(NS).get("live", Long.class), Tensor.liveCount(), "live tensors after the test");
    }
}
