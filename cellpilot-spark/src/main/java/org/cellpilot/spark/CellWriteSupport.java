package org.cellpilot.spark;

import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * Writes {@link CellRecord}s as GeoParquet 1.1 rows: the columns of the cell table and the {@code geo} file
 * metadata, filled in when the file is closed (it records the bounding box and geometry types actually written).
 */
final class CellWriteSupport extends WriteSupport<CellRecord> {
    static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.INT64).named("id")
            .required(PrimitiveTypeName.DOUBLE).named("centroid_x")
            .required(PrimitiveTypeName.DOUBLE).named("centroid_y")
            .required(PrimitiveTypeName.INT64).named("area")
            .required(PrimitiveTypeName.INT32).named("bbox_x0")
            .required(PrimitiveTypeName.INT32).named("bbox_y0")
            .required(PrimitiveTypeName.INT32).named("bbox_x1")
            .required(PrimitiveTypeName.INT32).named("bbox_y1")
            .optional(PrimitiveTypeName.INT32).named("type")
            .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("type_name")
            .optional(PrimitiveTypeName.DOUBLE).named("type_prob")
            .required(PrimitiveTypeName.DOUBLE).named("quality")
            .required(PrimitiveTypeName.BINARY).named(GeoMetadata.GEOMETRY_COLUMN)
            .named("cell");

    private final GeoMetadata geo = new GeoMetadata();
    private RecordConsumer out;

    // parquet-java 1.17 still declares this Hadoop form abstract; its replacement delegates to it.
    @SuppressWarnings("deprecation")
    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(SCHEMA, new HashMap<>());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.out = recordConsumer;
    }

    @Override
    public void write(CellRecord c) {
        out.startMessage();
        put("id", () -> out.addLong(c.id()));
        put("centroid_x", () -> out.addDouble(c.centroidX()));
        put("centroid_y", () -> out.addDouble(c.centroidY()));
        put("area", () -> out.addLong(c.area()));
        int[] b = c.bbox();
        put("bbox_x0", () -> out.addInteger(b[0]));
        put("bbox_y0", () -> out.addInteger(b[1]));
        put("bbox_x1", () -> out.addInteger(b[2]));
        put("bbox_y1", () -> out.addInteger(b[3]));
        if (c.type() != null) {
            put("type", () -> out.addInteger(c.type()));
            put("type_name", () -> out.addBinary(Binary.fromString(c.typeName())));
        }
        if (!Double.isNaN(c.typeProbability())) {
            put("type_prob", () -> out.addDouble(c.typeProbability()));
        }
        put("quality", () -> out.addDouble(c.quality()));
        put(GeoMetadata.GEOMETRY_COLUMN, () -> out.addBinary(Binary.fromConstantByteArray(c.geometry())));
        out.endMessage();
        geo.add(c.bbox(), c.geometry());
    }

    /** One field of the current row; a field left out is null. */
    private void put(String name, Runnable value) {
        int index = SCHEMA.getFieldIndex(name);
        out.startField(name, index);
        value.run();
        out.endField(name, index);
    }

    @Override
    public FinalizedWriteContext finalizeWrite() {
        Map<String, String> metadata = new HashMap<>();
        metadata.put(GeoMetadata.KEY, geo.json());
        return new FinalizedWriteContext(metadata);
    }
}
