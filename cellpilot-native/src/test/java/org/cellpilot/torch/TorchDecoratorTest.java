package org.cellpilot.torch;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cellpilot.torch.spi.TorchBackend;
import org.junit.jupiter.api.Test;

/** The diagnostics hook that wraps the loaded backend (the simulated-cuda tests run through it). */
class TorchDecoratorTest {
    @Test
    void withoutADecoratorTheBackendIsUsedAsLoaded() {
        TorchBackend loaded = Torch.backend();
        assertSame(loaded, Torch.decorate(loaded, null));
        assertSame(loaded, Torch.decorate(loaded, " "));
    }

    @Test
    void aBadDecoratorNamesThePropertyAndTheClass() {
        TorchBackend loaded = Torch.backend();
        for (String name : new String[] {"org.example.NoSuchBackend", "java.lang.String"}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Torch.decorate(loaded, name));
            assertTrue(e.getMessage().contains(Torch.DECORATOR_PROPERTY + "=" + name), e.getMessage());
        }
    }
}
