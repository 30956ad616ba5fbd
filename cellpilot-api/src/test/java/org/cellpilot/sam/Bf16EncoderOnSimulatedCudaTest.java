package org.cellpilot.sam;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cellpilot.torch.Device;
import org.cellpilot.torch.testing.CudaWork;
import org.cellpilot.torch.testing.NoTensorLeaks;
import org.cellpilot.torch.testing.SimulatedCudaBooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The bf16 image encoder on a simulated CUDA device, held to {@link Bf16EncoderTest}'s accuracy. */
@ExtendWith({NoTensorLeaks.class, SimulatedCudaBooks.class})
class Bf16EncoderOnSimulatedCudaTest {
    @Test
    void bf16EncoderOnCudaStaysCloseToFloat32() {
        CudaWork work = CudaWork.start("aten::linear");
        Bf16EncoderTest.assertBf16StaysCloseToFloat32(Device.cuda(0));
        assertTrue(work.cudaOps("aten::linear") >= 32, "both encoders' 4 blocks × 4 linear layers ran on cuda");
        work.assertMostlyOnCuda(300);
    }
}
