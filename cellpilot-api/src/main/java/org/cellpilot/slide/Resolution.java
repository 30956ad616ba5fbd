package org.cellpilot.slide;

import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a slide's microns per pixel come from: Aperio's {@code ImageDescription} ({@code |MPP = 0.2520|}), the
 * TIFF resolution tags, or OME-XML's {@code PhysicalSizeX}. A value outside 0.05–20 µm/px is not believed: libvips,
 * for one, writes 96 dpi (265 µm/px) into images that never had a resolution.
 */
public final class Resolution {
    static final double MIN_PLAUSIBLE = 0.05;
    static final double MAX_PLAUSIBLE = 20;
    /** TIFF ResolutionUnit values. */
    static final int UNIT_INCH = 2;
    static final int UNIT_CENTIMETER = 3;

    private static final Pattern APERIO_MPP = Pattern.compile("\\|\\s*MPP\\s*=\\s*([0-9.eE+-]+)");
    private static final Pattern OME_PIXELS = Pattern.compile("<(?:\\w+:)?Pixels\\b[^>]*>");
    private static final Pattern OME_SIZE_X = Pattern.compile("\\bPhysicalSizeX\\s*=\\s*\"([0-9.eE+-]+)\"");
    private static final Pattern OME_UNIT_X = Pattern.compile("\\bPhysicalSizeXUnit\\s*=\\s*\"([^\"]*)\"");

    private Resolution() {}

    /** The MPP of an Aperio description ({@code Aperio Image Library … |MPP = 0.2520|…}), or of an OME-XML one. */
    public static OptionalDouble fromDescription(String description) {
        if (description == null) {
            return OptionalDouble.empty();
        }
        Matcher m = APERIO_MPP.matcher(description);
        if (description.startsWith("Aperio") && m.find()) {
            return plausible(parse(m.group(1)));
        }
        Matcher pixels = OME_PIXELS.matcher(description);
        if (description.contains("<OME") && pixels.find()) {
            Matcher size = OME_SIZE_X.matcher(pixels.group());
            if (size.find()) {
                Matcher unit = OME_UNIT_X.matcher(pixels.group());
                double scale = unit.find() ? micronsPer(unit.group(1)) : 1; // OME's default unit is the micrometre
                return plausible(parse(size.group(1)) * scale);
            }
        }
        return OptionalDouble.empty();
    }

    /** Microns per pixel from TIFF XResolution (pixels per unit) and ResolutionUnit; only cm and inch are trusted. */
    public static OptionalDouble fromTiffTags(double pixelsPerUnit, int unit) {
        double micronsPerUnit = unit == UNIT_CENTIMETER ? 10_000 : unit == UNIT_INCH ? 25_400 : Double.NaN;
        return plausible(micronsPerUnit / pixelsPerUnit);
    }

    static OptionalDouble plausible(double mpp) {
        return mpp >= MIN_PLAUSIBLE && mpp <= MAX_PLAUSIBLE ? OptionalDouble.of(mpp) : OptionalDouble.empty();
    }

    /** The number, or NaN when it is not one (a value a file states is not trusted to parse). */
    static double parse(String number) {
        try {
            return Double.parseDouble(number);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static double micronsPer(String unit) {
        switch (unit) {
            case "µm":
            case "um":
                return 1;
            case "nm":
                return 1e-3;
            case "mm":
                return 1e3;
            default:
                return Double.NaN;
        }
    }
}
