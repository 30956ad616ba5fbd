package org.cellpilot.sam;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.cellpilot.torch.Device;
import org.cellpilot.torch.testing.CudaWork;
import org.cellpilot.torch.testing.NoTensorLeaks;
import org.cellpilot.torch.testing.SimulatedCudaBackend;
import org.cellpilot.torch.testing.SimulatedCudaBooks;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The SAM golden cases (batched boxes and mask input included) with the model on a simulated CUDA device (cuda:1
 * too, where a tensor made on "cuda" without its index would meet cuda:0): every op on the way must find its
 * tensors on one device, and the results must match the reference as on the CPU.
 */
@ExtendWith({NoTensorLeaks.class, SimulatedCudaBooks.class})
class SamParityOnSimulatedCudaTest {
    @ParameterizedTest
    @CsvSource({"sam_tiny, sam_tiny/weights.safetensors, cuda:0", "sam_tiny_small, sam_tiny/weights.pth, cuda:1",
            "cellpilot_tiny, cellpilot_tiny/cellpilot.ckpt, cuda:0"})
    void matchesReferenceOnCuda(String set, String weights, String device) {
        assumeTrue(Device.parse(device).index() == 0 || !SimulatedCudaBackend.onRealGpu(), "a real GPU host has one device");
        CudaWork work = CudaWork.start("aten::linear");
        SamParityTest.assertMatchesReference(set, weights, Device.parse(device));
        assertTrue(work.cudaOps("aten::linear") >= 16, "the encoder's 4 blocks × 4 linear layers ran on cuda");
        work.assertMostlyOnCuda(300);
    }
}
