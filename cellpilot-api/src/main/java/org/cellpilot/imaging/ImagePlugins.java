package org.cellpilot.imaging;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ImageWriterSpi;

/**
 * Keeps the JDK's own TIFF reader and writer ahead of TwelveMonkeys' for plain {@code ImageIO} calls. The slide
 * reader uses TwelveMonkeys' TIFF plugin explicitly, but its jar also registers the plugin with ImageIO, ahead of
 * the JDK's: that would change what {@code ImageIO.read} gives for every TIFF in the host application (TwelveMonkeys
 * scales float samples to 0–1, so a float label image of 2.5 reads as 1.0, and its writer refuses float data).
 */
public final class ImagePlugins {
    private static final String JDK_TIFF = "com.sun.imageio.plugins.tiff.";
    private static final String TWELVEMONKEYS_TIFF = "com.twelvemonkeys.imageio.plugins.tiff.";

    private ImagePlugins() {}

    /** Orders the JDK's TIFF reader and writer before TwelveMonkeys' (idempotent). */
    public static void preferJdkTiff() {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        order(registry, ImageReaderSpi.class);
        order(registry, ImageWriterSpi.class);
    }

    /** The JDK's TIFF provider before each of TwelveMonkeys' (TIFF and BigTIFF). */
    private static <T> void order(IIORegistry registry, Class<T> category) {
        T jdk = null;
        List<T> twelveMonkeys = new ArrayList<>();
        for (Iterator<T> it = registry.getServiceProviders(category, false); it.hasNext();) {
            T spi = it.next();
            String name = spi.getClass().getName();
            if (name.startsWith(JDK_TIFF)) {
                jdk = spi;
            } else if (name.startsWith(TWELVEMONKEYS_TIFF)) {
                twelveMonkeys.add(spi);
            }
        }
        for (T other : twelveMonkeys) {
            if (jdk != null) {
                registry.setOrdering(category, jdk, other);
            }
        }
    }
}
