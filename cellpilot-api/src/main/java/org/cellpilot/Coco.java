package org.cellpilot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cellpilot.torch.checkpoint.Json;

/** The COCO instances codec behind {@link Exports#writeCoco}; the format is described there. */
final class Coco {
    /** The category of masks without a cell type. */
    static final String UNTYPED = "object";

    private Coco() {}

    /** {@code masks} already clipped to the image and without empty ones. */
    static String write(List<Mask> masks, List<MaskRaster> clipped, String fileName, int width, int height) {
        boolean typed = masks.stream().anyMatch(m -> m.type().isPresent());
        boolean untyped = masks.stream().anyMatch(m -> m.type().isEmpty());
        List<Object> categories = new ArrayList<>();
        if (typed) {
            for (CellType t : CellType.values()) {
                categories.add(category(t.ordinal() + 1, t.displayName()));
            }
        }
        int untypedId = typed ? CellType.values().length + 1 : 1;
        if (untyped || categories.isEmpty()) {
            categories.add(category(untypedId, UNTYPED));
        }
        List<Object> annotations = new ArrayList<>(masks.size());
        for (int i = 0; i < masks.size(); i++) {
            Mask m = masks.get(i);
            MaskRaster r = clipped.get(i);
            int[] b = r.bounds();
            Map<String, Object> segmentation = new LinkedHashMap<>();
            segmentation.put("size", new int[] {height, width});
            segmentation.put("counts", compressedCounts(columnMajorRuns(r, width, height)));
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("id", m.id());
            a.put("image_id", 1);
            a.put("category_id", m.type().map(t -> t.ordinal() + 1).orElse(untypedId));
            a.put("segmentation", segmentation);
            a.put("area", r.area());
            a.put("bbox", new int[] {b[0], b[1], b[2] - b[0], b[3] - b[1]});
            a.put("iscrowd", 0);
            // COCOeval ranks detections by score; a mask without an estimate counts as certain, as in Mask.
            a.put("score", Double.isNaN(m.predictedIou()) ? 1.0 : m.predictedIou());
            annotations.add(a);
        }
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("id", 1);
        image.put("file_name", fileName);
        image.put("width", width);
        image.put("height", height);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("images", List.of(image));
        doc.put("categories", categories);
        doc.put("annotations", annotations);
        return Json.write(doc);
    }

    private static Map<String, Object> category(int id, String name) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("name", name);
        c.put("supercategory", "nucleus");
        return c;
    }

    /**
     * Run lengths over the image in column-major order, alternating background and foreground and starting with
     * background (so a mask on the first pixel starts with 0), without a trailing empty run.
     */
    static int[] columnMajorRuns(MaskRaster r, int width, int height) {
        int[] b = r.bounds();
        int bw = b[2] - b[0];
        boolean[] pixels = r.toArray();
        int[] counts = new int[8];
        int n = 0;
        int covered = 0;
        for (int x = b[0]; x < b[2]; x++) {
            for (int y = b[1]; y < b[3]; y++) {
                if (!pixels[(y - b[1]) * bw + x - b[0]]) {
                    continue;
                }
                int p = x * height + y;
                if (n > 0 && p == covered) {
                    counts[n - 1]++;
                } else {
                    // Room for this background and foreground pair and the final background run.
                    if (n + 3 > counts.length) {
                        counts = Arrays.copyOf(counts, counts.length * 2);
                    }
                    counts[n++] = p - covered;
                    counts[n++] = 1;
                }
                covered = p + 1;
            }
        }
        if (covered < width * height) {
            counts[n++] = width * height - covered;
        }
        return Arrays.copyOf(counts, n);
    }

    /**
     * COCO's compressed counts string: from the fourth run on, each run is written as its difference from the run
     * two before (same kind, so small); each value goes out in 5-bit groups, least significant first, as the
     * characters 48 + group, with 0x20 set on every group but the last; the last group's 0x10 bit is the sign.
     */
    static String compressedCounts(int[] counts) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            long x = i > 2 ? (long) counts[i] - counts[i - 2] : counts[i];
            boolean more = true;
            while (more) {
                int group = (int) (x & 0x1f);
                x >>= 5;
                // Done when the rest is all sign: zeros for a positive group, ones for a negative one.
                more = (group & 0x10) != 0 ? x != -1 : x != 0;
                s.append((char) (48 + (more ? group | 0x20 : group)));
            }
        }
        return s.toString();
    }
}
