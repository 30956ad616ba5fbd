package org.cellpilot.sam;

import java.nio.ByteBuffer;
import org.cellpilot.imaging.PilResize;
import org.cellpilot.torch.Tensor;

/**
 * {@code SamPredictor.set_image} + {@code Sam.preprocess}: Pillow-exact resize of the longest side to the
 * model size, per-channel normalisation on the 0–255 scale, zero padding on the right and bottom.
 */
final class Preprocess {
    private static final float[] MEAN = {123.675f, 116.28f, 103.53f};
    private static final float[] STD = {58.395f, 57.12f, 57.375f};

    private Preprocess() {
    }

    /** rgb: interleaved 8-bit RGB, rows top to bottom → [1, 3, size, size] float32. */
    static Tensor apply(ByteBuffer rgb, ResizeLongestSide t, int size) {
        byte[] resized = PilResize.resize(rgb, t.originalWidth, t.originalHeight, 3, t.width, t.height);
        float[] out = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            int plane = c * size * size;
            for (int y = 0; y < t.height; y++) {
                for (int x = 0; x < t.width; x++) {
                    float v = resized[(y * t.width + x) * 3 + c] & 0xff;
                    out[plane + y * size + x] = (v - MEAN[c]) / STD[c];
                }
            }
        }
        return Tensor.of(out, 1, 3, size, size);
    }
}
