package org.cellpilot.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cellpilot.MaskRaster;
import org.cellpilot.RgbImage;
import org.cellpilot.imaging.BinaryFill;
import org.cellpilot.imaging.BoundingBox;
import org.cellpilot.imaging.Connectivity;
import org.cellpilot.imaging.DistanceTransform;
import org.cellpilot.imaging.GaussianBlur;
import org.cellpilot.imaging.Morphology;
import org.cellpilot.imaging.Otsu;
import org.cellpilot.imaging.Peaks;
import org.cellpilot.imaging.SmallObjects;
import org.cellpilot.imaging.StructuringElement;
import org.cellpilot.imaging.Watershed;

/**
 * The built-in nucleus detector, which needs no model weights: nuclei are where hematoxylin is.
 *
 * <ol>
 *   <li>Colour deconvolution ({@link StainVectors}) gives each pixel's hematoxylin amount.</li>
 *   <li>A small Gaussian blur evens out chromatin texture; Otsu's threshold on the result, but never below
 *       {@link Builder#minHematoxylin}, gives the nuclear foreground. Holes (pale nucleoli, vesicular chromatin)
 *       are filled, specks are dropped and a light opening cuts one-pixel bridges and burrs.</li>
 *   <li>Touching nuclei are split by a watershed of the negated distance transform, seeded at its maxima that
 *       rise at least {@link Builder#splitDepth} above the neck joining them to a higher one and lie at least
 *       {@link Builder#minSeparation} from it: two round nuclei meet at a neck narrower than either is wide, while
 *       a single elongated nucleus has a nearly flat ridge.</li>
 *   <li>Instances outside the {@link Builder#area} range are dropped.</li>
 * </ol>
 *
 * Nuclei come in the raster order of their seeds, with no type ({@code null}, probability NaN). The defaults
 * suit nuclei some 6 to 50 pixels across: 40× scans at 0.25 µm per pixel, where a 7 µm lymphocyte is 28 px,
 * down to the bundled {@code ihc.png}, whose nuclei are 6 to 12 px wide. They were checked against a hand count
 * on that image. Nuclei pressed together along their length, with no neck between them, stay one instance.
 * Immutable and thread-safe.
 */
public final class HematoxylinDetector implements NucleusDetector {
    /** The tile side for large images: about 140 MB of working memory per tile. */
    public static final int TILE = 1024;
    private final StainVectors stains;
    private final int smoothing;
    private final double minHematoxylin;
    private final StructuringElement opening;
    private final double splitDepth;
    private final double minSeparation;
    private final int minArea;
    private final int maxArea;

    /** A detector with the default parameters for H&E. */
    public HematoxylinDetector() {
        this(builder());
    }

    private HematoxylinDetector(Builder b) {
        this.stains = b.stains;
        this.smoothing = b.smoothing;
        this.minHematoxylin = b.minHematoxylin;
        this.opening = StructuringElement.ellipse(b.openingSize, b.openingSize);
        this.splitDepth = b.splitDepth;
        this.minSeparation = b.minSeparation;
        this.minArea = b.minArea;
        this.maxArea = b.maxArea;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Images above {@link TiledDetector#MAX_WHOLE_PIXELS} run in {@link #TILE}² tiles, in parallel, overlapping by
     * twice the diameter of the largest nucleus kept (a disc of the maximum area), so memory stays bounded.
     */
    @Override
    public List<Nucleus> detect(RgbImage image) {
        if ((long) image.width() * image.height() > TiledDetector.MAX_WHOLE_PIXELS) {
            int overlap = (int) Math.ceil(2 * Math.sqrt(4 * maxArea / Math.PI));
            return new TiledDetector(this::detectWhole, TILE, overlap).detect(image);
        }
        return detectWhole(image);
    }

    private List<Nucleus> detectWhole(RgbImage image) {
        int h = image.height();
        int w = image.width();
        boolean[] foreground = foreground(image);
        double[] distance = DistanceTransform.euclidean(foreground, h, w);
        int[] seeds = Peaks.find(distance, foreground, h, w, Connectivity.FOUR, splitDepth, minSeparation);
        int[] markers = new int[h * w];
        for (int i = 0; i < seeds.length; i++) {
            markers[seeds[i]] = i + 1;
        }
        double[] basins = new double[h * w];
        for (int i = 0; i < basins.length; i++) {
            basins[i] = -distance[i];
        }
        int[] instances = Watershed.flood(basins, markers, foreground, h, w);
        return nuclei(instances, seeds.length, h, w);
    }

    /** Pixels rich enough in hematoxylin to be nuclear, as a cleaned-up mask. */
    private boolean[] foreground(RgbImage image) {
        int h = image.height();
        int w = image.width();
        double[] hematoxylin = GaussianBlur.apply(stains.hematoxylin(image), h, w, smoothing);
        double threshold = Math.max(minHematoxylin, otsu(hematoxylin));
        boolean[] mask = new boolean[h * w];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = hematoxylin[i] > threshold;
        }
        return Morphology.open(SmallObjects.remove(BinaryFill.fillHoles(mask, h, w), h, w, minArea), h, w, opening);
    }

    /**
     * Otsu's threshold in hematoxylin units over 256 levels from 0 to the largest amount. Deconvolution gives
     * negative hematoxylin wherever the other stains over-explain a pixel (strongly so under dense DAB); that means
     * "none" and counts as 0. Left as they are, those values form a long tail that drags the threshold down
     * into the pale counterstain of the stroma.
     */
    private static double otsu(double[] amounts) {
        double max = 0;
        for (double v : amounts) {
            max = Math.max(max, v);
        }
        if (max == 0) {
            return 0;
        }
        double scale = 255 / max;
        byte[] levels = new byte[amounts.length];
        for (int i = 0; i < amounts.length; i++) {
            levels[i] = (byte) Math.round(Math.max(0, amounts[i]) * scale);
        }
        // Level t holds the amounts rounding to t, so "above level t" means above t + ½ in level units.
        return (Otsu.threshold(levels) + 0.5) / scale;
    }

    private List<Nucleus> nuclei(int[] instances, int count, int h, int w) {
        int[] areas = new int[count + 1];
        for (int label : instances) {
            areas[label]++;
        }
        BoundingBox[] boxes = BoundingBox.ofLabels(instances, h, w);
        List<Nucleus> nuclei = new ArrayList<>();
        for (int label = 1; label <= count; label++) {
            if (areas[label] < minArea || areas[label] > maxArea) {
                continue;
            }
            BoundingBox b = boxes[label];
            int id = label;
            MaskRaster raster = MaskRaster.of(b.colMin(), b.rowMin(), b.width(), b.height(), (x, y) -> instances[y * w + x] == id);
            nuclei.add(new Nucleus(new int[] {b.colMin(), b.rowMin(), b.colMax(), b.rowMax()}, null, Double.NaN, raster));
        }
        return nuclei;
    }

    @Override
    public String toString() {
        return "HematoxylinDetector[" + stains + ", smoothing " + smoothing + ", minHematoxylin " + minHematoxylin + ", opening "
                + opening.height() + ", splitDepth " + splitDepth + ", minSeparation " + minSeparation + ", area " + minArea + ".."
                + maxArea + "]";
    }

    /** Parameters of a {@link HematoxylinDetector}; lengths and areas are in image pixels. */
    public static final class Builder {
        private StainVectors stains = StainVectors.H_E;
        private int smoothing = 5;
        private double minHematoxylin = 0.06;
        private int openingSize = 3;
        private double splitDepth = 1.0;
        private double minSeparation = 6;
        private int minArea = 20;
        private int maxArea = 2000;

        private Builder() {}

        /** The stains of the slide (default {@link StainVectors#H_E}; {@link StainVectors#H_DAB} for IHC). */
        public Builder stains(StainVectors stains) {
            this.stains = Objects.requireNonNull(stains, "stains");
            return this;
        }

        /**
         * Gaussian kernel size, odd, 1 (none) to 7 (default 5, σ ≈ 1.1 px): enough to merge the dark and pale
         * speckle of chromatin into one blob, too little to bridge the few pixels between neighbouring nuclei.
         */
        public Builder smoothing(int kernelSize) {
            GaussianBlur.kernel(kernelSize);
            this.smoothing = kernelSize;
            return this;
        }

        /**
         * The lowest hematoxylin amount (OD units) counted as nuclear whatever Otsu says (default 0.06). Otsu
         * always splits the histogram somewhere; on a field with no nuclei that split runs through noise or faint
         * background staining, and this floor keeps such fields empty. It sits just above the pale blue stroma of
         * the bundled IHC sample (median 0.04) and below its palest nuclei, whose Otsu threshold is 0.067; H&E
         * nuclei are usually several times darker.
         */
        public Builder minHematoxylin(double amount) {
            this.minHematoxylin = requireNonNegative(amount, "minHematoxylin");
            return this;
        }

        /** Diameter of the opening's disc, odd (default 3, the 3×3 cross; 1 disables it). */
        public Builder openingSize(int diameter) {
            if (diameter < 1 || diameter % 2 == 0) {
                throw new IllegalArgumentException("opening diameter must be odd and positive, got " + diameter);
            }
            this.openingSize = diameter;
            return this;
        }

        /**
         * How far (px) a distance-transform maximum must rise above the neck to a higher one to seed its own
         * nucleus (default 1). Along the ridge of one spindle-shaped or lumpy nucleus the distance wobbles by
         * less than a pixel; two touching nuclei meet at a neck at least a pixel narrower than either. On the
         * bundled sample 0.5 cuts long spindles in pieces and 1.5 leaves touching pairs whole.
         */
        public Builder splitDepth(double pixels) {
            this.splitDepth = requireNonNegative(pixels, "splitDepth");
            return this;
        }

        /**
         * The least distance (px) between two seeds of one blob (default 6). Below the width of the smallest
         * nuclei, so it never joins two real ones; it only drops a second seed on the same nucleus.
         */
        public Builder minSeparation(double pixels) {
            this.minSeparation = requireNonNegative(pixels, "minSeparation");
            return this;
        }

        /**
         * Instance areas kept, in pixels (default 20 to 2000). 20 px is a disc 5 px across, smaller than any
         * nucleus at 20× or more (1.25 µm at 0.25 µm/px), so what goes is debris and stain precipitate. 2000 px is
         * a disc 50 px (12.6 µm) across, larger than all but giant tumour nuclei at 40×; bigger blobs are far more
         * often unsplit clumps, folds or gland walls, which would prompt SAM with a misleading box.
         */
        public Builder area(int min, int max) {
            if (min < 1 || max < min) {
                throw new IllegalArgumentException("area range must satisfy 1 <= min <= max, got " + min + ".." + max);
            }
            this.minArea = min;
            this.maxArea = max;
            return this;
        }

        public HematoxylinDetector build() {
            return new HematoxylinDetector(this);
        }

        private static double requireNonNegative(double value, String name) {
            if (!(value >= 0)) {
                throw new IllegalArgumentException(name + " must be >= 0, got " + value);
            }
            return value;
        }
    }
}
