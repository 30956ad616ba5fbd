package org.cellpilot.spark;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/** Plans a plain image as one tile: its size comes from the file's header, no pixel is decoded. */
final class ImagePlanner implements TilePlanner {
    private static final long serialVersionUID = 1L;

    @Override
    public ImagePlan plan(String image, String path) throws IOException {
        long t0 = System.nanoTime();
        try (ImageInputStream in = ImageIO.createImageInputStream(LocalFiles.of(path).toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException("not an image that ImageIO can read: " + path);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                Tile whole = new Tile(image, path, 0, new int[] {0, 0, w, h}, new int[] {0, 0, w, h});
                return new ImagePlan(image, path, w, h, (long) w * h, List.of(whole), (System.nanoTime() - t0) / 1e9, null);
            } finally {
                reader.dispose();
            }
        }
    }
}
