package org.cellpilot.spark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One row of the {@code summary} table: how an image went. An image is complete when it has no error; only then
 * does {@code --resume} skip it.
 *
 * @param tissueArea level-0 pixels in the tissue mask
 * @param seconds planning plus segmentation time, summed over the image's tasks
 * @param error why the image or some of its tiles could not be read, or null
 */
record ImageSummary(String image, String path, long width, long height, long tissueArea, int tiles, int failedTiles,
                    long cells, double seconds, String error) {
    static final StructType SCHEMA = new StructType()
            .add("image", DataTypes.StringType, false)
            .add("path", DataTypes.StringType, false)
            .add("width", DataTypes.LongType, false)
            .add("height", DataTypes.LongType, false)
            .add("tissue_area", DataTypes.LongType, false)
            .add("tiles", DataTypes.IntegerType, false)
            .add("failed_tiles", DataTypes.IntegerType, false)
            .add("cells", DataTypes.LongType, false)
            .add("seconds", DataTypes.DoubleType, false)
            .add("error", DataTypes.StringType, true);

    boolean complete() {
        return error == null;
    }

    Row toRow() {
        return RowFactory.create(image, path, width, height, tissueArea, tiles, failedTiles, cells, seconds, error);
    }

    static ImageSummary of(Row r) {
        return new ImageSummary(r.getString(0), r.getString(1), r.getLong(2), r.getLong(3), r.getLong(4), r.getInt(5),
                r.getInt(6), r.getLong(7), r.getDouble(8), r.getString(9));
    }

    /** The summaries of planned images, from their plans and their tiles' outcomes. */
    static List<ImageSummary> of(List<ImagePlan> plans, List<TileOutcome> outcomes) {
        Map<String, List<TileOutcome>> byImage = new LinkedHashMap<>();
        for (TileOutcome o : outcomes) {
            byImage.computeIfAbsent(o.image(), k -> new ArrayList<>()).add(o);
        }
        List<ImageSummary> rows = new ArrayList<>();
        for (ImagePlan p : plans) {
            long cells = 0;
            double seconds = p.seconds();
            int failed = 0;
            String firstError = null;
            for (TileOutcome o : byImage.getOrDefault(p.image(), List.of())) {
                cells += o.cells();
                seconds += o.seconds();
                if (o.error() != null) {
                    failed++;
                    firstError = firstError == null ? o.error() : firstError;
                }
            }
            String error = p.error() != null ? p.error()
                    : failed == 0 ? null
                    : failed + " of " + p.tiles().size() + " tiles unreadable, first: " + firstError;
            rows.add(new ImageSummary(p.image(), p.path(), p.width(), p.height(), p.tissueArea(), p.tiles().size(),
                    failed, cells, seconds, error));
        }
        return rows;
    }
}
