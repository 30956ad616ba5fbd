package org.cellpilot.cellvit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.cellpilot.CellPilot;
import org.cellpilot.Mask;
import org.cellpilot.RgbImage;
import org.cellpilot.Session;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.testing.CudaWork;
import org.cellpilot.torch.testing.NoTensorLeaks;
import org.cellpilot.torch.testing.SimulatedCudaBooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * CellViT with its network on a simulated CUDA device: the golden maps as on the CPU, and the detector's cells
 * (post-processed on the CPU from maps copied back) the same as the CPU detector's.
 */
@ExtendWith({NoTensorLeaks.class, SimulatedCudaBooks.class})
class CellVitOnSimulatedCudaTest {
    private static final Device CUDA = Device.cuda(0);
    private static final Path VIT_256 = Golden.dir("cellvit_tiny/model").resolve("weights.pth");

    @Test
    void matchesReferenceOutputsOnCuda() {
        CudaWork work = CudaWork.start("aten::linear", "aten::conv2d");
        CellVitParityTest.assertMatchesReference(CUDA);
        assertTrue(work.cudaOps("aten::linear") >= 16, "the encoder's 4 blocks × 4 linear layers ran on cuda");
        assertTrue(work.cudaOps("aten::conv2d") >= 10, "the decoders' convolutions ran on cuda");
        work.assertMostlyOnCuda(200);
    }

    @Test
    void theVit256DetectorOnCudaFindsTheCpuDetectorsCells() {
        assertCudaDetectorFindsTheCpuDetectorsCells(VIT_256, CellVitParityTest.numHeads(), 256, new SyntheticNuclei(620, 520, 3, 1));
    }

    @Test
    void theCellVitSamDetectorOnCudaFindsTheCpuDetectorsCells(@TempDir Path dir) {
        assertCudaDetectorFindsTheCpuDetectorsCells(TinyCellVitSam.write(dir.resolve("cellvit_sam.pth"), 11), 2, CellVitTiler.TILE,
                new SyntheticNuclei(400, 300, 6, 1));
    }

    /** The {@link ColourCodedDecoder} model of {@code checkpoint} on the CPU and on cuda, over {@code slide}. */
    private static void assertCudaDetectorFindsTheCpuDetectorsCells(Path checkpoint, int heads, int tile, SyntheticNuclei slide) {
        RgbImage image = slide.image();
        List<Cell> expected;
        try (CellVitDetector cpu = CellVitDetector.of(ColourCodedDecoder.load(checkpoint, heads), tile)) {
            expected = cpu.cells(image);
        }
        CudaWork work = CudaWork.start("aten::conv2d");
        try (CellVitDetector cuda = CellVitDetector.of(ColourCodedDecoder.load(checkpoint, heads, CUDA), tile)) {
            List<Cell> cells = cuda.cells(image);
            slide.assertEachFoundOnceAndWhole(cells);
            assertSameCells(expected, cells);
        }
        assertTrue(work.cudaOps("aten::conv2d") >= 10, "the decoders' convolutions ran on cuda");
        work.assertMostlyOnCuda(200);
    }

    /** {@code CellPilot.builder().device(cuda)} reaches CellViT's network, whose cells then come out as on the CPU. */
    @Test
    void aCellPilotOnCudaRunsCellVitThere(@TempDir Path dir) {
        Path checkpoint = ColourCodedDecoder.write(VIT_256, dir.resolve("colour-coded.safetensors"));
        RgbImage image = new SyntheticNuclei(300, 200, 7, 1).image();
        List<Mask> expected;
        try (CellPilot cp = CellPilot.builder().cellvit(checkpoint).build(); Session s = cp.open(image)) {
            expected = s.segmentAutomatically();
        }
        CudaWork work = CudaWork.start("aten::conv2d");
        try (CellPilot cp = CellPilot.builder().cellvit(checkpoint).device(CUDA).build(); Session s = cp.open(image)) {
            List<Mask> cells = s.segmentAutomatically();
            assertFalse(expected.isEmpty(), "the detector finds cells to compare");
            assertEquals(expected.size(), cells.size(), "cells");
            for (int i = 0; i < cells.size(); i++) {
                assertArrayEquals(expected.get(i).raster().runs(), cells.get(i).raster().runs(), "pixels of cell " + i);
                assertEquals(expected.get(i).type(), cells.get(i).type(), "type of cell " + i);
            }
        }
        assertTrue(work.cudaOps("aten::conv2d") >= 10, "CellViT's convolutions ran on cuda");
        work.assertMostlyOnCuda(200);
    }

    private static void assertSameCells(List<Cell> expected, List<Cell> actual) {
        assertEquals(expected.size(), actual.size(), "cells");
        for (int i = 0; i < expected.size(); i++) {
            Cell e = expected.get(i);
            Cell a = actual.get(i);
            assertEquals(e.bbox(), a.bbox(), "bbox of cell " + i);
            assertEquals(e.centroidX(), a.centroidX(), "centroid x of cell " + i);
            assertEquals(e.centroidY(), a.centroidY(), "centroid y of cell " + i);
            assertArrayEquals(e.contour(), a.contour(), "contour of cell " + i);
            assertEquals(e.type(), a.type(), "type of cell " + i);
            assertEquals(e.typeProbability(), a.typeProbability(), "type probability of cell " + i);
            assertEquals(e.tissue(), a.tissue(), "tissue of cell " + i);
            assertArrayEquals(e.mask().runs(), a.mask().runs(), "pixels of cell " + i);
        }
    }
}
