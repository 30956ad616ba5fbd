package org.cellpilot;

import java.awt.Rectangle;
import java.util.OptionalDouble;
import org.cellpilot.slide.SlideReader;

/** A plain image (PNG, JPEG, …) or an image in memory as a one-level slide, so one code path serves every input. */
final class ImageSlideReader implements SlideReader {
    private final RgbImage image;

    ImageSlideReader(RgbImage image) {
        this.image = image;
    }

    @Override
    public String name() {
        return "image";
    }

    @Override
    public int levelCount() {
        return 1;
    }

    @Override
    public long levelWidth(int level) {
        return image.width();
    }

    @Override
    public long levelHeight(int level) {
        return image.height();
    }

    @Override
    public double downsample(int level) {
        return 1;
    }

    @Override
    public OptionalDouble micronsPerPixel() {
        return OptionalDouble.empty();
    }

    @Override
    public byte[] read(int level, long x, long y, int width, int height) {
        return image.crop(new Rectangle((int) x, (int) y, width, height)).toBytes();
    }

    @Override
    public void close() {
    }
}
