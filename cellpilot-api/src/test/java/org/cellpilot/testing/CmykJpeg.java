package org.cellpilot.testing;

import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * CMYK and YCCK JPEGs whose colours are known by construction, as Photoshop writes them (Adobe APP14 marker,
 * inverted ink values, an embedded ICC profile). The profile is made here: it maps ink to linear-light sRGB as
 * R = 1 − C, G = 1 − M, B = 1 − Y when K = 0 (and black when K = 1), through XYZ (D50) with sRGB's colorants, so
 * the sRGB value of a patch follows from the sRGB transfer function alone, without any colour management code.
 * Off the corners the formula holds for K = 0, where lcms's interpolation is exact.
 */
public final class CmykJpeg {
    /** sRGB's colorants adapted to D50 (the ICC's PCS), as in the ICC sRGB profile: rows X, Y, Z; columns R, G, B. */
    private static final double[][] SRGB_TO_XYZ = {{0.4361, 0.3851, 0.1431}, {0.2225, 0.7169, 0.0606}, {0.0139, 0.0971, 0.7141}};

    private CmykJpeg() {}

    /** The expected 8-bit sRGB value of ink {@code ink} (0–1) with K = 0. */
    public static double expectedSrgb(double ink) {
        double linear = 1 - ink;
        return 255 * (linear <= 0.0031308 ? 12.92 * linear : 1.055 * Math.pow(linear, 1 / 2.4) - 0.055);
    }

    /**
     * A JPEG of {@code patches.length} 16×16 patches side by side, patch i of ink {@code patches[i]} = {C, M, Y, K}
     * (0–255), stored as CMYK (Adobe transform 0) or YCCK (transform 2), with the profile embedded.
     */
    public static byte[] write(int[][] patches, boolean ycck) throws IOException {
        int w = 16 * patches.length;
        int h = 16;
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] ink = patches[x / 16];
                // Adobe stores ink inverted: 255 is none.
                int[] v = {255 - ink[0], 255 - ink[1], 255 - ink[2], 255 - ink[3]};
                if (ycck) {
                    // JFIF's YCbCr of the first three stored channels, taken as R, G, B after inverting once more.
                    double r = 255 - v[0];
                    double g = 255 - v[1];
                    double b = 255 - v[2];
                    v[0] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
                    v[1] = clamp(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
                    v[2] = clamp(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
                }
                raster.setPixel(x, y, v);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(1f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            // A raster is written as its four channels, without colour conversion or markers.
            writer.write(null, new IIOImage(raster, null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] jpeg = bytes.toByteArray();
        byte[] profile = profile();
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.write(jpeg, 0, 2);
        int length = 2 + 12 + 2 + profile.length;
        file.write(new byte[] {(byte) 0xff, (byte) 0xe2, (byte) (length >> 8), (byte) length});
        file.write("ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII));
        file.write(new byte[] {1, 1});
        file.write(profile);
        file.write(new byte[] {(byte) 0xff, (byte) 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) (ycck ? 2 : 0)});
        file.write(jpeg, 2, jpeg.length - 2);
        return file.toByteArray();
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** An ICC v2 output profile, CMYK to XYZ by a 2-point lut16 (A2B0), with a token inverse (B2A0) that lcms needs. */
    static byte[] profile() {
        ByteBuffer a2b0 = lutHeader(4, 3);
        for (int i = 0; i < 16; i++) {
            // Grid order: C slowest, K fastest.
            int c = i >> 3 & 1;
            int m = i >> 2 & 1;
            int y = i >> 1 & 1;
            int k = i & 1;
            double[] linear = {(1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k)};
            for (double[] row : SRGB_TO_XYZ) {
                // lut16's XYZ encoding: 1.0 is 0x8000.
                a2b0.putShort((short) Math.round((row[0] * linear[0] + row[1] * linear[1] + row[2] * linear[2]) * 32768));
            }
        }
        identityCurves(a2b0, 3);
        ByteBuffer b2a0 = lutHeader(3, 4);
        for (int i = 0; i < 8 * 4; i++) {
            b2a0.putShort((short) 0);
        }
        identityCurves(b2a0, 4);
        ByteBuffer white = ByteBuffer.allocate(20).put(ascii("XYZ ")).putInt(0).putInt(0xf6d6).putInt(0x10000).putInt(0xd32d);
        String name = "CellPilot test CMYK";
        ByteBuffer desc = ByteBuffer.allocate(12 + name.length() + 1 + 4 + 4 + 3 + 67)
                .put(ascii("desc")).putInt(0).putInt(name.length() + 1).put(ascii(name + "\0"));
        ByteBuffer copyright = ByteBuffer.allocate(13).put(ascii("text")).putInt(0).put(ascii("none\0"));
        byte[][] tags = {desc.array(), white.array(), copyright.array(), a2b0.array(), b2a0.array()};
        String[] signatures = {"desc", "wtpt", "cprt", "A2B0", "B2A0"};
        int[] offsets = new int[tags.length];
        int size = 128 + 4 + 12 * tags.length;
        for (int i = 0; i < tags.length; i++) {
            offsets[i] = size;
            size += (tags[i].length + 3) / 4 * 4;
        }
        ByteBuffer p = ByteBuffer.allocate(size);
        p.putInt(size).putInt(0).putInt(0x02100000).put(ascii("prtr")).put(ascii("CMYK")).put(ascii("XYZ "));
        p.position(36);
        p.put(ascii("acsp"));
        p.position(68);
        p.putInt(0xf6d6).putInt(0x10000).putInt(0xd32d);
        p.position(128);
        p.putInt(tags.length);
        for (int i = 0; i < tags.length; i++) {
            p.put(ascii(signatures[i])).putInt(offsets[i]).putInt(tags[i].length);
        }
        for (int i = 0; i < tags.length; i++) {
            p.position(offsets[i]);
            p.put(tags[i]);
        }
        return p.array();
    }

    /** lut16Type up to its grid: identity matrix, 2 grid points, 2-entry identity input curves. */
    private static ByteBuffer lutHeader(int in, int out) {
        int grid = 1 << in;
        ByteBuffer b = ByteBuffer.allocate(52 + in * 4 + grid * out * 2 + out * 4);
        b.put(ascii("mft2")).putInt(0).put((byte) in).put((byte) out).put((byte) 2).put((byte) 0);
        for (int i = 0; i < 9; i++) {
            b.putInt(i % 4 == 0 ? 0x10000 : 0);
        }
        b.putShort((short) 2).putShort((short) 2);
        identityCurves(b, in);
        return b;
    }

    private static void identityCurves(ByteBuffer b, int count) {
        for (int i = 0; i < count; i++) {
            b.putShort((short) 0).putShort((short) 0xffff);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
