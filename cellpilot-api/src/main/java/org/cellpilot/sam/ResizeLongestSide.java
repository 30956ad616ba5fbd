package org.cellpilot.sam;

/**
 * SAM's {@code ResizeLongestSide}: the longest image side becomes the model's input size, and prompt
 * coordinates follow the same scale.
 */
final class ResizeLongestSide {
    final int originalHeight;
    final int originalWidth;
    final int height;
    final int width;

    ResizeLongestSide(int originalHeight, int originalWidth, int target) {
        this.originalHeight = originalHeight;
        this.originalWidth = originalWidth;
        double scale = target * 1.0 / Math.max(originalHeight, originalWidth);
        // int(x + 0.5) as the reference rounds; a 1×4000 strip would round its short side to 0, so clamp to 1.
        this.height = Math.max(1, (int) (originalHeight * scale + 0.5));
        this.width = Math.max(1, (int) (originalWidth * scale + 0.5));
    }

    /** x in original pixels → model-input pixels, computed in double and rounded to float as the reference. */
    float x(double x) {
        return (float) (x * ((double) width / originalWidth));
    }

    float y(double y) {
        return (float) (y * ((double) height / originalHeight));
    }
}
