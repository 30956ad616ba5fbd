package org.cellpilot.cellvit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Map;
import org.cellpilot.testing.GoldenFile;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.Test;

/** The tensor entry point reads shapes and data the way the array entry point is given them. */
class HoverPostProcessTensorTest {
    @Test
    void tensorsOfShape1CHWGiveTheGoldenInstances() throws IOException {
        Map<String, GoldenFile.Entry> golden = GoldenFile.safetensors(
                GoldenFile.shared().resolve("golden/cellvit_tiny/postproc/golden.safetensors"));
        try (Scope _ = Scope.open()) {
            HoverPostProcess.Result result = HoverPostProcess.forMagnification(40).process(
                    tensor(golden.get("sparse/nuclei_binary_map")),
                    tensor(golden.get("sparse/hv_map")),
                    tensor(golden.get("sparse/nuclei_type_map")));
            assertEquals(256, result.height());
            assertEquals(256, result.width());
            assertArrayEquals(golden.get("sparse/instance_map").ints(), result.instanceMap());
        }
    }

    private static Tensor tensor(GoldenFile.Entry entry) {
        return Tensor.of(entry.floats(), entry.shape());
    }
}
