package org.cellpilot.cellvit;

import org.cellpilot.torch.testing.NoTensorLeaks;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.cellpilot.RgbImage;
import org.cellpilot.detect.Nucleus;
import org.cellpilot.testing.Golden;
import org.cellpilot.torch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CellVitDetector} end to end, network included, on {@link SyntheticNuclei} images: the reduced CellViT-256
 * of golden/cellvit_tiny and a seeded {@link TinyCellVitSam}, each with the {@link ColourCodedDecoder} so that the
 * network's maps follow the painted nuclei. Every nucleus must come out once and whole, through white padding,
 * seams and the merge.
 */
@ExtendWith(NoTensorLeaks.class)
class CellVitDetectorTest {
    private static final Path VIT_256 = Golden.dir("cellvit_tiny/model").resolve("weights.pth");
    private static final int VIT_256_HEADS = Golden.config(Golden.cases("cellvit_tiny/model"), "num_heads");

    @TempDir
    Path dir;

    @Test
    void findsEveryNucleusOnceAcrossTiles() {
        SyntheticNuclei slide = new SyntheticNuclei(620, 520, 3, 1);
        RgbImage image = slide.image();
        try (CellVitDetector detector = CellVitDetector.of(ColourCodedDecoder.load(VIT_256, VIT_256_HEADS), 256)) {
            List<Cell> cells = detector.cells(image);
            slide.assertEachFoundOnceAndWhole(cells);
            List<Nucleus> nuclei = detector.detect(image);
            assertEquals(cells.size(), nuclei.size());
            for (int i = 0; i < cells.size(); i++) {
                Cell c = cells.get(i);
                Nucleus n = nuclei.get(i);
                assertArrayEquals(new int[] {c.bbox().colMin(), c.bbox().rowMin(), c.bbox().colMax(), c.bbox().rowMax()}, n.box());
                assertEquals(c.type(), n.type());
                assertEquals(c.typeProbability(), n.typeProbability());
                assertArrayEquals(c.mask().runs(), n.raster().runs());
                assertArrayEquals(n.box(), n.raster().bounds());
            }
        }
    }

    /**
     * A 140×88 image is one 144 px tile, white past the image. Nuclei cut by the right and bottom edges must stay
     * as they are: padding of any other colour would make them grow into it or vanish with it.
     */
    @Test
    void aSmallImageIsOneWhitePaddedTile() {
        SyntheticNuclei slide = new SyntheticNuclei(140, 88, 4, 1);
        try (CellVitDetector detector = CellVitDetector.of(ColourCodedDecoder.load(VIT_256, VIT_256_HEADS), CellVitTiler.TILE)) {
            slide.assertEachFoundOnceAndWhole(detector.cells(slide.image()));
        }
    }

    /** CellViT-SAM only takes tiles up to its trained size, 256 px here, so a 1024 px tiler falls back to that. */
    @Test
    void findsEveryNucleusWithCellVitSam() {
        SyntheticNuclei slide = new SyntheticNuclei(400, 300, 6, 1);
        Path checkpoint = TinyCellVitSam.write(dir.resolve("cellvit_sam.pth"), 11);
        try (CellVitDetector detector = CellVitDetector.of(ColourCodedDecoder.load(checkpoint, 2), CellVitTiler.TILE)) {
            slide.assertEachFoundOnceAndWhole(detector.cells(slide.image()));
        }
    }
}
