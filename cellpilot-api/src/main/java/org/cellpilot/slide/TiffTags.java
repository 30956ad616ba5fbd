package org.cellpilot.slide;

import java.io.IOException;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/** The few TIFF tags a slide needs, read from the reader's native metadata tree (TIFF 6.0 tag numbers). */
record TiffTags(int compression, String description, double xResolution, int resolutionUnit) {
    private static final String FORMAT = "com_sun_media_imageio_plugins_tiff_image_1.0";
    static final int OLD_JPEG = 6;
    static final int JPEG = 7;
    private static final int COMPRESSION = 259;
    private static final int IMAGE_DESCRIPTION = 270;
    private static final int X_RESOLUTION = 282;
    private static final int RESOLUTION_UNIT = 296;
    /** The JPEG 2000 compression codes (Aperio's YCbCr and RGB, and libvips' 33004), which TwelveMonkeys cannot decode. */
    private static final int JP2K_FIRST = 33003;
    private static final int JP2K_LAST = 33005;

    static TiffTags of(ImageReader reader, int page) throws IOException {
        IIOMetadata metadata = reader.getImageMetadata(page);
        Node ifd = metadata.getAsTree(FORMAT).getFirstChild();
        int compression = 1;
        String description = null;
        double xResolution = Double.NaN;
        int unit = 2; // TIFF's default ResolutionUnit is the inch
        for (Node field = ifd.getFirstChild(); field != null; field = field.getNextSibling()) {
            String number = attribute(field, "number");
            if (number == null) {
                continue;
            }
            String value = firstValue(field);
            switch (Integer.parseInt(number)) {
                case COMPRESSION -> compression = Integer.parseInt(value);
                case IMAGE_DESCRIPTION -> description = value;
                case X_RESOLUTION -> xResolution = rational(value);
                case RESOLUTION_UNIT -> unit = Integer.parseInt(value);
                default -> { }
            }
        }
        return new TiffTags(compression, description, xResolution, unit);
    }

    /** A description of a compression this reader cannot decode, or null. */
    static String unsupportedCompression(int compression) {
        if (compression >= JP2K_FIRST && compression <= JP2K_LAST) {
            return "a TIFF/SVS with JPEG 2000 tiles (TIFF compression " + compression + ")";
        }
        return null;
    }

    /** The first {@code value} attribute under a TIFFField (its first TIFFShort, TIFFAscii, TIFFRational …). */
    private static String firstValue(Node field) {
        for (Node list = field.getFirstChild(); list != null; list = list.getNextSibling()) {
            for (Node item = list.getFirstChild(); item != null; item = item.getNextSibling()) {
                String v = attribute(item, "value");
                if (v != null) {
                    return v;
                }
            }
        }
        return null;
    }

    private static String attribute(Node node, String name) {
        NamedNodeMap attributes = node.getAttributes();
        Node a = attributes == null ? null : attributes.getNamedItem(name);
        return a == null ? null : a.getNodeValue();
    }

    private static double rational(String value) {
        int slash = value.indexOf('/');
        return slash < 0 ? Double.parseDouble(value) : Double.parseDouble(value.substring(0, slash)) / Double.parseDouble(value.substring(slash + 1));
    }
}
