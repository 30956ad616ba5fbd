package org.cellpilot.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Instance segmentation scores as HoVer-Net defines them ({@code metrics/stats_utils.py} of vqdang/hover_net,
 * which CellViT reuses): both maps remapped to contiguous ids in ascending label order, then PQ = DQ · SQ with
 * pairs of IoU &gt; 0.5 ({@code get_fast_pq}), AJI with each truth paired to its best-IoU prediction
 * ({@code get_fast_aji}), AJI+ with a unique pairing of maximal total IoU ({@code get_fast_aji_plus}), the Dice of
 * the binary foregrounds ({@code get_dice_1}), and detection counts from instance centroids (x = mean column,
 * y = mean row) paired by a minimum-total-distance assignment, a pair counting when its distance is at most the
 * radius ({@code pair_coordinates}).
 *
 * <p>Where HoVer-Net would divide 0 by 0, the score is defined instead, so no result is NaN: with neither truth
 * nor prediction every score is 1 (nothing to find, nothing wrongly found); with only one of them, every score is
 * 0. In every other case the numbers are HoVer-Net's, including its 1e-6 guards (SQ is 0 when nothing pairs).
 */
public final class InstanceMetrics {
    /** The scores of one image; tp, fp and fn are detection counts from the centroid pairing. */
    public record Scores(double pq, double dq, double sq, double aji, double ajiPlus, double dice, double f1, double precision,
            double recall, int tp, int fp, int fn) {
        /** The scores under their JSON names, in HoVer-Net's order. */
        public Map<String, Number> fields() {
            Map<String, Number> m = new LinkedHashMap<>();
            m.put("pq", pq);
            m.put("dq", dq);
            m.put("sq", sq);
            m.put("aji", aji);
            m.put("aji_plus", ajiPlus);
            m.put("dice", dice);
            m.put("f1", f1);
            m.put("precision", precision);
            m.put("recall", recall);
            m.put("tp", tp);
            m.put("fp", fp);
            m.put("fn", fn);
            return m;
        }
    }

    private static final double IOU_EPSILON = 1.0e-6;

    private InstanceMetrics() {
    }

    public static Scores score(LabelMap truth, LabelMap predicted, double matchRadius) {
        if (truth.width() != predicted.width() || truth.height() != predicted.height()) {
            throw new IllegalArgumentException("truth is " + truth.width() + " x " + truth.height() + " but the prediction is "
                    + predicted.width() + " x " + predicted.height());
        }
        if (!(matchRadius >= 0) || Double.isInfinite(matchRadius)) {
            throw new IllegalArgumentException("match radius must be a finite number >= 0, got " + matchRadius);
        }
        int[] t = remap(truth.labels());
        int[] p = remap(predicted.labels());
        int nt = max(t);
        int np = max(p);
        if (nt == 0 || np == 0) {
            double v = nt == 0 && np == 0 ? 1 : 0;
            return new Scores(v, v, v, v, v, v, v, v, v, 0, np, nt);
        }
        Overlaps o = new Overlaps(t, p, nt, np);
        double[] pq = panoptic(o);
        Detection d = detection(centroids(t, nt, truth.width()), centroids(p, np, truth.width()), matchRadius);
        return new Scores(pq[0] * pq[1], pq[0], pq[1], aji(o), ajiPlus(o), dice(t, p), d.f1(), d.precision(), d.recall(),
                d.tp(), d.fp(), d.fn());
    }

    /** {@code remap_label}: ids 1…n in ascending order of the original values, 0 stays 0. */
    static int[] remap(int[] labels) {
        int[] ids = Arrays.stream(labels).filter(l -> l != 0).distinct().sorted().toArray();
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = labels[i] == 0 ? 0 : Arrays.binarySearch(ids, labels[i]) + 1;
        }
        return out;
    }

    private static int max(int[] a) {
        return Arrays.stream(a).max().orElse(0);
    }

    /** Areas, and the intersection of every overlapping (truth, prediction) pair, predictions in ascending id. */
    private static final class Overlaps {
        final int nt;
        final int np;
        final long[] truthArea;
        final long[] predArea;
        /** Per truth id: prediction id to intersection, for the predictions it overlaps. */
        final List<TreeMap<Integer, Long>> inter = new ArrayList<>();

        Overlaps(int[] t, int[] p, int nt, int np) {
            this.nt = nt;
            this.np = np;
            truthArea = new long[nt + 1];
            predArea = new long[np + 1];
            for (int i = 0; i <= nt; i++) {
                inter.add(new TreeMap<>());
            }
            for (int i = 0; i < t.length; i++) {
                truthArea[t[i]]++;
                predArea[p[i]]++;
                if (t[i] > 0 && p[i] > 0) {
                    inter.get(t[i]).merge(p[i], 1L, Long::sum);
                }
            }
        }

        long union(int ti, int pi, long in) {
            return truthArea[ti] + predArea[pi] - in;
        }

        /** The IoU as AJI's code computes it, with 1e-6 added to the union. */
        double guardedIou(int ti, int pi, long in) {
            return in / (union(ti, pi, in) + IOU_EPSILON);
        }
    }

    /** {DQ, SQ} of {@code get_fast_pq} at 0.5, where every pair above 0.5 is unique. */
    private static double[] panoptic(Overlaps o) {
        int tp = 0;
        double iouSum = 0;
        boolean[] pairedPred = new boolean[o.np + 1];
        for (int ti = 1; ti <= o.nt; ti++) {
            for (Map.Entry<Integer, Long> e : o.inter.get(ti).entrySet()) {
                double iou = (double) e.getValue() / o.union(ti, e.getKey(), e.getValue());
                if (iou > 0.5) {
                    tp++;
                    iouSum += iou;
                    pairedPred[e.getKey()] = true;
                }
            }
        }
        int paired = 0;
        for (boolean b : pairedPred) {
            paired += b ? 1 : 0;
        }
        double fp = o.np - paired;
        double fn = o.nt - tp;
        return new double[] {tp / (tp + 0.5 * fp + 0.5 * fn), iouSum / (tp + IOU_EPSILON)};
    }

    /** {@code get_fast_aji}: each truth with its best-IoU prediction (the first on a tie), predictions reusable. */
    private static double aji(Overlaps o) {
        double inter = 0;
        double union = 0;
        boolean[] used = new boolean[o.np + 1];
        for (int ti = 1; ti <= o.nt; ti++) {
            int best = 0;
            double bestIou = 0;
            for (Map.Entry<Integer, Long> e : o.inter.get(ti).entrySet()) {
                double iou = o.guardedIou(ti, e.getKey(), e.getValue());
                if (iou > bestIou) {
                    bestIou = iou;
                    best = e.getKey();
                }
            }
            if (best == 0) {
                union += o.truthArea[ti];
            } else {
                long in = o.inter.get(ti).get(best);
                inter += in;
                union += o.union(ti, best, in);
                used[best] = true;
            }
        }
        return inter / (union + unusedArea(o, used));
    }

    /** {@code get_fast_aji_plus}: one-to-one pairs of maximal total IoU; pairs without overlap count as unpaired. */
    private static double ajiPlus(Overlaps o) {
        double[][] cost = new double[o.nt][o.np];
        for (int ti = 1; ti <= o.nt; ti++) {
            for (Map.Entry<Integer, Long> e : o.inter.get(ti).entrySet()) {
                cost[ti - 1][e.getKey() - 1] = -o.guardedIou(ti, e.getKey(), e.getValue());
            }
        }
        int[] pair = Assignment.minimumCost(cost);
        double inter = 0;
        double union = 0;
        boolean[] used = new boolean[o.np + 1];
        for (int ti = 1; ti <= o.nt; ti++) {
            Long in = pair[ti - 1] < 0 ? null : o.inter.get(ti).get(pair[ti - 1] + 1);
            if (in == null) {
                union += o.truthArea[ti];
            } else {
                inter += in;
                union += o.union(ti, pair[ti - 1] + 1, in);
                used[pair[ti - 1] + 1] = true;
            }
        }
        return inter / (union + unusedArea(o, used));
    }

    private static double unusedArea(Overlaps o, boolean[] used) {
        double area = 0;
        for (int pi = 1; pi <= o.np; pi++) {
            area += used[pi] ? 0 : o.predArea[pi];
        }
        return area;
    }

    /** {@code get_dice_1}: the Dice of the two foregrounds. */
    private static double dice(int[] t, int[] p) {
        return Overlap.of(foreground(t), foreground(p)).dice();
    }

    private static boolean[] foreground(int[] labels) {
        boolean[] out = new boolean[labels.length];
        for (int i = 0; i < labels.length; i++) {
            out[i] = labels[i] > 0;
        }
        return out;
    }

    /** {x, y} of instances 1…n (row n − 1): the mean column and the mean row of their pixels. */
    static double[][] centroids(int[] labels, int n, int width) {
        double[][] sum = new double[n][2];
        long[] count = new long[n];
        for (int i = 0; i < labels.length; i++) {
            int l = labels[i];
            if (l > 0) {
                sum[l - 1][0] += i % width;
                sum[l - 1][1] += i / width;
                count[l - 1]++;
            }
        }
        for (int k = 0; k < n; k++) {
            sum[k][0] /= count[k];
            sum[k][1] /= count[k];
        }
        return sum;
    }

    record Detection(int tp, int fp, int fn) {
        double precision() {
            return tp / (double) (tp + fp);
        }

        double recall() {
            return tp / (double) (tp + fn);
        }

        double f1() {
            return 2.0 * tp / (2.0 * tp + fp + fn);
        }
    }

    /** {@code pair_coordinates}: all points assigned at least total distance, then pairs beyond the radius dropped. */
    static Detection detection(double[][] truth, double[][] predicted, double radius) {
        double[][] distance = new double[truth.length][predicted.length];
        for (int a = 0; a < truth.length; a++) {
            for (int b = 0; b < predicted.length; b++) {
                distance[a][b] = Math.hypot(truth[a][0] - predicted[b][0], truth[a][1] - predicted[b][1]);
            }
        }
        int[] pair = Assignment.minimumCost(distance);
        int tp = 0;
        for (int a = 0; a < truth.length; a++) {
            if (pair[a] >= 0 && distance[a][pair[a]] <= radius) {
                tp++;
            }
        }
        return new Detection(tp, predicted.length - tp, truth.length - tp);
    }
}
