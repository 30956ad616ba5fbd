package org.cellpilot.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cellpilot.cellvit.ColourCodedDecoder;
import org.cellpilot.cellvit.SyntheticNuclei;
import org.cellpilot.examples.CliTest.Run;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.testing.CudaWork;
import org.cellpilot.torch.testing.NoTensorLeaks;
import org.cellpilot.torch.testing.SimulatedCudaBooks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's {@code --device cuda} on a simulated GPU: {@code predict} and {@code cellvit} still match the golden
 * outputs, and {@code segment} runs CellViT (whose decoder reads the painted nuclei, see {@link ColourCodedDecoder})
 * and SAM there and writes the CPU's cells.
 */
@ExtendWith({NoTensorLeaks.class, SimulatedCudaBooks.class})
class CliOnSimulatedCudaTest {
    @TempDir
    Path tmp;

    @Test
    void segmentOnCudaRunsTheModelsThereAndWritesWhatTheCpuWrites() throws IOException {
        Path cellvit = ColourCodedDecoder.write(Golden.dir("cellvit_tiny/model").resolve("weights.pth"),
                tmp.resolve("cellvit.safetensors"));
        Path image = CliTest.png(new SyntheticNuclei(300, 200, 7, 1).image(), tmp.resolve("nuclei.png"));
        String cpu = segment(image, cellvit, "cpu");
        CudaWork work = CudaWork.start("aten::conv2d", "aten::linear");
        String cuda = segment(image, cellvit, "cuda");
        assertTrue(cpu.contains("\"Feature\""), "cells to compare");
        assertEquals(cpu, cuda, "the GeoJSON written on cuda");
        assertTrue(work.cudaOps("aten::conv2d") >= 10, "CellViT's convolutions ran on cuda");
        assertTrue(work.cudaOps("aten::linear") >= 32, "CellViT's and SAM's encoders ran on cuda");
        work.assertMostlyOnCuda(300);
    }

    @Test
    void predictOnCudaMatchesTheGolden() throws IOException {
        CudaWork work = CudaWork.start("aten::linear");
        CliTest.assertPredictMatchesGolden(tmp, "--device", "cuda");
        assertTrue(work.cudaOps("aten::linear") >= 16, "SAM's encoder and decoder ran on cuda");
        work.assertMostlyOnCuda(100);
    }

    @Test
    void cellvitOnCudaMatchesTheGolden() throws IOException {
        CudaWork work = CudaWork.start("aten::conv2d");
        CliTest.assertCellVitMatchesGolden(tmp, "--device", "cuda:0");
        assertTrue(work.cudaOps("aten::conv2d") >= 10, "CellViT's convolutions ran on cuda");
        work.assertMostlyOnCuda(100);
    }

    private String segment(Path image, Path cellvit, String device) throws IOException {
        Path out = tmp.resolve(device);
        Run r = CliTest.cli("segment", image.toString(), "--device", device, "--format", "geojson", "--out", out.toString(),
                "--cellvit", cellvit.toString(), "--sam", Golden.dir("sam_tiny").resolve("weights.pth").toString());
        assertEquals(0, r.status(), r.err());
        return Files.readString(out.resolve("nuclei.geojson"));
    }
}
