package org.cellpilot.cellvit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cellpilot.testing.Golden;
import org.cellpilot.torch.checkpoint.StateDict;
import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.Test;

/** The tensor entry point reads shapes and data the way the array entry point is given them. */
class HoverPostProcessTensorTest {
    @Test
    void tensorsOfShape1CHWGiveTheGoldenInstances() {
        StateDict golden = StateDict.load(Golden.dir("cellvit_tiny/postproc").resolve("golden.safetensors"));
        try (Tensor np = golden.get("sparse/nuclei_binary_map");
             Tensor hv = golden.get("sparse/hv_map");
             Tensor nt = golden.get("sparse/nuclei_type_map");
             Tensor map = golden.get("sparse/instance_map")) {
            HoverPostProcess.Result result = HoverPostProcess.forMagnification(40).process(np, hv, nt);
            assertEquals(256, result.height());
            assertEquals(256, result.width());
            assertArrayEquals(map.toIntArray(), result.instanceMap());
        }
    }
}
