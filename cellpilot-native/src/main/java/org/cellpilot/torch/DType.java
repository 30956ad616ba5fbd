package org.cellpilot.torch;

/** Element types that cross the libtorch boundary. Codes are read from libtorch at start-up, never hard-coded. */
public enum DType {
    FLOAT32(4), FLOAT64(8), FLOAT16(2), BFLOAT16(2), INT64(8), INT32(4), INT16(2), INT8(1), UINT8(1), BOOL(1);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    public int byteSize() {
        return byteSize;
    }

    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT64 || this == FLOAT16 || this == BFLOAT16;
    }

    /** The libtorch code of this type in the loaded library. */
    public int code() {
        return Torch.codes().dtypeCode(this);
    }

    static DType fromCode(int code) {
        return Torch.codes().dtypeOf(code);
    }
}
