package org.cellpilot.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.loader.NativeLibraries;

/** Shared set-up of the benchmarks: where fixtures live, a random image, the process's memory high-water mark. */
final class Fixtures {
    private Fixtures() {
    }

    /** {@code -Dcellpilot.bench.dir}, else a folder in the system temp dir, reused across runs. */
    static Path dir() {
        return Path.of(NativeLibraries.setting("CELLPILOT_BENCH_DIR", "cellpilot.bench.dir")
                .orElse(System.getProperty("java.io.tmpdir") + "/cellpilot-bench"));
    }

    static Path[] samVitB() throws IOException {
        return SamFixture.write(dir());
    }

    /** A smooth random RGB image: blobs on a background, so that masks are not empty. */
    static byte[] image(int width, int height, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    double v = 128 + 60 * Math.sin(x * 0.05 + c) * Math.cos(y * 0.07) + r.nextInt(20);
                    rgb[(y * width + x) * 3 + c] = (byte) Math.max(0, Math.min(255, (int) v));
                }
            }
        }
        return rgb;
    }

    /** {@code t} on {@code device}: itself on the CPU, else a copy there (and {@code t} is closed). */
    static Tensor moveTo(Device device, Tensor t) {
        if (device.isCpu()) {
            return t;
        }
        try (t) {
            return Ops.to(t, device);
        }
    }

    /**
     * The number of elements of {@code t}, read after the device has finished computing it: a GPU runs its kernels
     * asynchronously, and reading one element waits for them. On the CPU the work is already done.
     */
    static long awaitDevice(Tensor t) {
        if (!t.device().isCpu()) {
            try (Scope s = Scope.open()) {
                Ops.select(Ops.reshape(t, -1), 0, 0).item();
            }
        }
        return t.numel();
    }

    /** VmHWM: the peak resident set of this process so far, in MB. */
    static long peakRssMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return -1;
    }

    /** Random weights of {@code shape}, uniform in ±0.02: speed does not depend on the values. */
    static Tensor random(SplittableRandom random, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((random.nextDouble() - 0.5) * 0.04);
        }
        return Tensor.of(v, shape);
    }
}
