package org.cellpilot.cellvit;

import java.util.ArrayList;
import java.util.List;
import org.cellpilot.imaging.BinaryFill;
import org.cellpilot.imaging.BoundingBox;
import org.cellpilot.imaging.Connectivity;
import org.cellpilot.imaging.Contours;
import org.cellpilot.imaging.GaussianBlur;
import org.cellpilot.imaging.Labeling;
import org.cellpilot.imaging.MinMax;
import org.cellpilot.imaging.Moments;
import org.cellpilot.imaging.Morphology;
import org.cellpilot.imaging.SmallObjects;
import org.cellpilot.imaging.Sobel;
import org.cellpilot.imaging.StructuringElement;
import org.cellpilot.imaging.Watershed;
import org.cellpilot.torch.Tensor;

/**
 * CellViT's HoVer-Net instance extraction ({@code DetectionCellPostProcessor}), reproduced to the pixel: nuclei
 * from the binary map, markers where the gradients of the horizontal/vertical distance maps are flat, a
 * watershed from those markers, then per instance its box, centroid, outer contour and majority type.
 */
public final class HoverPostProcess {
    /** The nucleus mask always drops blobs under 10 px, whatever the magnification (a constant in the reference). */
    private static final int NUCLEUS_MIN_SIZE = 10;
    private static final double EDGE_THRESHOLD = 0.4;
    private static final int BLUR_SIZE = 3;
    private static final StructuringElement MARKER_OPENING = StructuringElement.ellipse(5, 5);

    private final int objectSize;
    private final int sobelSize;

    /**
     * @param objectSize smallest marker kept, in pixels
     * @param sobelSize  Sobel kernel size applied to the distance maps
     */
    public HoverPostProcess(int objectSize, int sobelSize) {
        this.objectSize = objectSize;
        this.sobelSize = sobelSize;
    }

    /** The reference settings: object size 10 and Sobel 21 at 40×, 3 and 11 at 20×. */
    public static HoverPostProcess forMagnification(int magnification) {
        return switch (magnification) {
            case 40 -> new HoverPostProcess(10, 21);
            case 20 -> new HoverPostProcess(3, 11);
            default -> throw new IllegalArgumentException("CellViT post-processing is defined at 20x and 40x, not " + magnification + "x");
        };
    }

    /**
     * @param instanceMap the instance label of every pixel, row-major; labels are marker ids and may have gaps
     * @param cells       the instances in ascending id order, without those whose contour has fewer than 3 points
     *                    (they stay in the map, as in the reference)
     */
    public record Result(int[] instanceMap, int height, int width, List<DetectedCell> cells) {}

    /**
     * Runs on one image's network outputs, each row-major channel by channel.
     *
     * @param binaryLogits {@code [2, H, W]} nucleus-vs-background logits (or probabilities)
     * @param hv           {@code [2, H, W]} horizontal then vertical distance maps
     * @param typeLogits   {@code [types, H, W]} nucleus type logits (or probabilities)
     */
    public Result process(float[] binaryLogits, float[] hv, float[] typeLogits, int types, int height, int width) {
        int plane = height * width;
        checkLength("binary map", binaryLogits, 2, plane);
        checkLength("hv map", hv, 2, plane);
        checkLength("type map", typeLogits, types, plane);
        boolean[] nuclei = nucleusMask(argmax(binaryLogits, 2, plane), height, width);
        int[] instances = instances(nuclei, hv, height, width);
        int[] typeMap = argmax(typeLogits, types, plane);
        return new Result(instances, height, width, describe(instances, typeMap, types, height, width));
    }

    /** The same on float32 tensors of shape {@code [C, H, W]} or {@code [1, C, H, W]}. */
    public Result process(Tensor binaryLogits, Tensor hv, Tensor typeLogits) {
        long[] shape = channelsHeightWidth(binaryLogits);
        int types = (int) channelsHeightWidth(typeLogits)[0];
        return process(binaryLogits.toFloatArray(), hv.toFloatArray(), typeLogits.toFloatArray(), types,
                (int) shape[1], (int) shape[2]);
    }

    private static long[] channelsHeightWidth(Tensor t) {
        long[] shape = t.shape();
        if (shape.length == 4 && shape[0] == 1) {
            return new long[] {shape[1], shape[2], shape[3]};
        }
        if (shape.length != 3) {
            throw new IllegalArgumentException("expected a [C, H, W] or [1, C, H, W] map, got " + t.describe());
        }
        return shape;
    }

    private static boolean[] nucleusMask(int[] binaryClass, int height, int width) {
        boolean[] foreground = new boolean[binaryClass.length];
        for (int i = 0; i < foreground.length; i++) {
            foreground[i] = binaryClass[i] == 1;
        }
        return SmallObjects.remove(foreground, height, width, NUCLEUS_MIN_SIZE);
    }

    /**
     * The reference's {@code __proc_np_hv}. Its {@code overall - (1 - blb)} mixes float32 with int32, so numpy works
     * in float64 from there on; so do we, keeping the basin values, and with them the watershed's tie order, the
     * reference's.
     */
    private int[] instances(boolean[] nuclei, float[] hv, int height, int width) {
        int plane = height * width;
        float[] horizontal = MinMax.normalize(java.util.Arrays.copyOfRange(hv, 0, plane));
        float[] vertical = MinMax.normalize(java.util.Arrays.copyOfRange(hv, plane, 2 * plane));
        float[] edgeX = MinMax.normalize(Sobel.derivativeX(horizontal, height, width, sobelSize));
        float[] edgeY = MinMax.normalize(Sobel.derivativeY(vertical, height, width, sobelSize));
        double[] basin = new double[plane];
        boolean[] marker = new boolean[plane];
        for (int i = 0; i < plane; i++) {
            int blb = nuclei[i] ? 1 : 0;
            float edge = Math.max(1f - edgeX[i], 1f - edgeY[i]);
            double overall = Math.max(0.0, (double) edge - (1 - blb));
            basin[i] = (1.0 - overall) * blb;
            marker[i] = nuclei[i] && !(overall >= EDGE_THRESHOLD);
        }
        double[] blurred = GaussianBlur.apply(basin, height, width, BLUR_SIZE);
        for (int i = 0; i < plane; i++) {
            blurred[i] = -blurred[i];
        }
        boolean[] cores = Morphology.open(BinaryFill.fillHoles(marker, height, width), height, width, MARKER_OPENING);
        int[] markers = Labeling.label(cores, height, width, Connectivity.FOUR);
        SmallObjects.remove(markers, objectSize);
        return Watershed.flood(blurred, markers, nuclei, height, width);
    }

    private static List<DetectedCell> describe(int[] instances, int[] typeMap, int types, int height, int width) {
        BoundingBox[] boxes = BoundingBox.ofLabels(instances, height, width);
        List<DetectedCell> cells = new ArrayList<>();
        for (int id = 1; id < boxes.length; id++) {
            BoundingBox box = boxes[id];
            if (box == null) {
                continue;
            }
            boolean[] crop = new boolean[box.height() * box.width()];
            int[] votes = new int[types];
            int pixels = 0;
            for (int r = 0; r < box.height(); r++) {
                for (int c = 0; c < box.width(); c++) {
                    int p = (box.rowMin() + r) * width + box.colMin() + c;
                    if (instances[p] == id) {
                        crop[r * box.width() + c] = true;
                        votes[typeMap[p]]++;
                        pixels++;
                    }
                }
            }
            int[][] contour = Contours.find(crop, box.height(), box.width()).get(0).points();
            if (contour.length < 3) {
                continue;
            }
            for (int[] point : contour) {
                point[0] += box.colMin();
                point[1] += box.rowMin();
            }
            Moments moments = Moments.of(crop, box.height(), box.width());
            int type = majorityType(votes);
            cells.add(new DetectedCell(id, box, moments.centroidX() + box.colMin(), moments.centroidY() + box.rowMin(),
                    contour, type, votes[type] / (pixels + 1.0e-6)));
        }
        return cells;
    }

    /**
     * The most frequent type, ties to the lower id (numpy's sorted unique values, then a stable sort by count);
     * background wins only when it is the sole type present, otherwise the runner-up is taken.
     */
    static int majorityType(int[] votes) {
        int best = mostVoted(votes, -1);
        if (best == 0) {
            int runnerUp = mostVoted(votes, 0);
            if (runnerUp >= 0) {
                return runnerUp;
            }
        }
        return best;
    }

    private static int mostVoted(int[] votes, int excluded) {
        int best = -1;
        for (int t = 0; t < votes.length; t++) {
            if (t != excluded && votes[t] > 0 && (best < 0 || votes[t] > votes[best])) {
                best = t;
            }
        }
        return best;
    }

    /**
     * Channel argmax per pixel, ties to the lower channel as {@code torch.argmax}. The reference takes it after a
     * softmax, which can only differ where float32 rounds two channels' probabilities to the same value; the
     * golden maps' smallest channel margin (4e-6 in logits) is far from that.
     */
    private static int[] argmax(float[] maps, int channels, int plane) {
        int[] out = new int[plane];
        for (int i = 0; i < plane; i++) {
            float best = maps[i];
            for (int c = 1; c < channels; c++) {
                float v = maps[c * plane + i];
                if (v > best) {
                    best = v;
                    out[i] = c;
                }
            }
        }
        return out;
    }

    private static void checkLength(String what, float[] values, int channels, int plane) {
        if (values.length != (long) channels * plane) {
            throw new IllegalArgumentException(what + " holds " + values.length + " values, expected " + channels + "x" + plane);
        }
    }
}
