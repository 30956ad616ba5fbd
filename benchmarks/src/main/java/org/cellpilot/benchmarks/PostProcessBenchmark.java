package org.cellpilot.benchmarks;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.cellpilot.cellvit.HoverPostProcess;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CellViT's HoVer-Net post-processing of one 1024×1024 tile holding about 300 nuclei: synthetic maps drawn the
 * way the network's outputs look (nucleus logits inside discs, horizontal/vertical distances to each centre
 * normalised to [-1, 1], a type per nucleus).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class PostProcessBenchmark {
    static final int SIZE = 1024;
    static final int TYPES = 6;

    private float[] np;
    private float[] hv;
    private float[] nt;

    @Setup(Level.Trial)
    public void setUp() {
        int plane = SIZE * SIZE;
        np = new float[2 * plane];
        hv = new float[2 * plane];
        nt = new float[TYPES * plane];
        java.util.Arrays.fill(np, 0, plane, 2f);
        SplittableRandom r = new SplittableRandom(5);
        for (int n = 0; n < 300; n++) {
            int cx = 12 + r.nextInt(SIZE - 24);
            int cy = 12 + r.nextInt(SIZE - 24);
            int radius = 5 + r.nextInt(6);
            int type = 1 + r.nextInt(TYPES - 1);
            for (int y = cy - radius; y <= cy + radius; y++) {
                for (int x = cx - radius; x <= cx + radius; x++) {
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= radius * radius) {
                        int i = y * SIZE + x;
                        np[i] = -2f;
                        np[plane + i] = 2f;
                        hv[i] = (x - cx) / (float) radius;
                        hv[plane + i] = (y - cy) / (float) radius;
                        nt[type * plane + i] = 3f;
                    }
                }
            }
        }
    }

    @Benchmark
    public int postProcess300Nuclei() {
        return HoverPostProcess.forMagnification(40).process(np, hv, nt, TYPES, SIZE, SIZE).cells().size();
    }
}
