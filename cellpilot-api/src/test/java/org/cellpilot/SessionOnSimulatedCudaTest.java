package org.cellpilot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.nio.file.Path;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.testing.CudaWork;
import org.cellpilot.torch.testing.NoTensorLeaks;
import org.cellpilot.torch.testing.SimulatedCudaBooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Sessions of a {@code CellPilot} built with {@code device(cuda)}, on a simulated GPU. */
@ExtendWith({NoTensorLeaks.class, SimulatedCudaBooks.class})
class SessionOnSimulatedCudaTest {
    private static final Device CUDA = Device.cuda(0);

    /**
     * The golden-SAM workflow gives what SAM's predictor gives on the CPU (whose own ops are why this test cannot
     * ask that nearly all ops ran on cuda).
     */
    @Test
    void automaticThenAddRefineUndoOnCudaMatchesTheCpuPredictor() {
        CudaWork work = CudaWork.start("aten::linear");
        SessionTest.assertWorkflowMatchesThePredictor(SessionTest.goldenImage(), CUDA);
        assertTrue(work.cudaOps("aten::linear") >= 16, "the image encoder ran on cuda");
        work.assertRanOnCuda(300);
    }

    /** Cached and saved embeddings come back from the CPU to the model's device. */
    @Test
    void cachedAndSavedEmbeddingsReturnToTheDevice(@TempDir Path tmp) {
        RgbImage image = SessionTest.goldenImage();
        Path file = tmp.resolve("embedding.safetensors");
        Prompt box = Prompt.box(40, 30, 220, 170);
        try (CellPilot cp = SessionTest.pilot(SessionTest.BOXES, CUDA)) {
            Mask encoded;
            try (Session s = cp.open(image)) {
                encoded = s.add(box);
                s.saveEmbedding(file);
            }
            CudaWork work = CudaWork.start();
            try (Session cached = cp.open(image);
                 Session saved = cp.open(image, new Rectangle(0, 0, image.width(), image.height()), file)) {
                assertSamePixels(encoded, cached.add(box));
                assertSamePixels(encoded, saved.add(box));
            }
            work.assertMostlyOnCuda(50);
        }
    }

    private static void assertSamePixels(Mask expected, Mask actual) {
        assertArrayEquals(expected.bbox(), actual.bbox());
        assertArrayEquals(expected.raster().runs(), actual.raster().runs());
    }
}
