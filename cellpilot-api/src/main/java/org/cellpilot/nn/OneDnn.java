package org.cellpilot.nn;

import org.cellpilot.torch.DType;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.TorchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the float32 products of the ViT encoders run on oneDNN (compiled into libtorch's CPU build) rather than on
 * OpenBLAS. oneDNN takes a weight reordered once into its blocked layout, runs a product with few input rows at
 * the full FMA rate (OpenBLAS drops to half of it for attention's K = 64 score products) and adds the bias, GELU
 * or a residual in the same pass. The system property {@value #PROPERTY}{@code =false} turns it off (read at each
 * call, so a benchmark can alternate both paths in one JVM); a libtorch built without oneDNN is detected once.
 */
public final class OneDnn {
    /** {@code false} runs every product on libtorch's default BLAS path. */
    public static final String PROPERTY = "cellpilot.onednn";
    private static final Logger LOG = LoggerFactory.getLogger(OneDnn.class);
    private static volatile Boolean available;

    private OneDnn() {
    }

    /** Whether a product with {@code t} as an operand runs on oneDNN now. */
    static boolean usable(Tensor t) {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY)) && t.device().isCpu() && t.dtype() == DType.FLOAT32
                && available();
    }

    private static boolean available() {
        Boolean a = available;
        if (a == null) {
            try (Scope ignored = Scope.open()) {
                Ops.packLinearWeight(Tensor.of(new float[] {1}, 1, 1), 1);
                a = Boolean.TRUE;
            } catch (TorchException e) {
                LOG.info("libtorch has no oneDNN kernels ({}); products run on its BLAS", e.getMessage());
                a = Boolean.FALSE;
            }
            available = a;
        }
        return a;
    }
}
