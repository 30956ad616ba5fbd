package org.cellpilot.torch.checkpoint;

import java.util.Map;
import org.cellpilot.torch.DType;

/** How each file format names the element types: safetensors dtype strings and torch storage classes. */
final class DTypeNames {
    private static final Map<String, DType> SAFETENSORS = Map.of("F32", DType.FLOAT32, "F64", DType.FLOAT64,
            "F16", DType.FLOAT16, "BF16", DType.BFLOAT16, "I64", DType.INT64, "I32", DType.INT32, "I16", DType.INT16,
            "I8", DType.INT8, "U8", DType.UINT8, "BOOL", DType.BOOL);
    private static final Map<String, DType> STORAGES = Map.of("FloatStorage", DType.FLOAT32, "DoubleStorage",
            DType.FLOAT64, "HalfStorage", DType.FLOAT16, "BFloat16Storage", DType.BFLOAT16, "LongStorage", DType.INT64,
            "IntStorage", DType.INT32, "ShortStorage", DType.INT16, "CharStorage", DType.INT8, "ByteStorage",
            DType.UINT8, "BoolStorage", DType.BOOL);

    private DTypeNames() {
    }

    /** The type of a safetensors dtype string, or null for one this SDK has no tensor type for. */
    static DType fromSafetensors(String name) {
        return SAFETENSORS.get(name);
    }

    static String safetensorsName(DType dtype) {
        return nameOf(SAFETENSORS, dtype);
    }

    /** The type of a storage class in the {@code torch} module ({@code FloatStorage}), or null. */
    static DType fromStorage(String className) {
        return STORAGES.get(className);
    }

    static String storageName(DType dtype) {
        return nameOf(STORAGES, dtype);
    }

    private static String nameOf(Map<String, DType> names, DType dtype) {
        for (Map.Entry<String, DType> e : names.entrySet()) {
            if (e.getValue() == dtype) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("no file-format name for " + dtype);
    }
}
