package org.cellpilot.torch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each op against values worked out by hand (or by an independent formula in the test). */
class OpsTest {
    private static final float EPS = 1e-5f;
    private long live;
    private Scope scope;

    @BeforeEach
    void open() {
        live = Tensor.liveCount();
        scope = Scope.open();
    }

    @AfterEach
    void close() {
        scope.close();
        assertEquals(live, Tensor.liveCount(), "every tensor freed");
    }

    private static Tensor t(float[] v, long... shape) {
        return Tensor.of(v, shape);
    }

    private static void near(float[] expected, Tensor actual) {
        assertArrayEquals(expected, actual.toFloatArray(), EPS);
    }

    @Test
    void linear() {
        Tensor y = Ops.linear(t(new float[] {1, 2, 3, 4}, 2, 2), t(new float[] {1, 0, 0, 1, 1, 1}, 3, 2), t(new float[] {0.5f, -1, 0}, 3));
        assertArrayEquals(new long[] {2, 3}, y.shape());
        near(new float[] {1.5f, 1, 3, 3.5f, 3, 7}, y);
        near(new float[] {1, 2, 3, 3, 4, 7}, Ops.linear(t(new float[] {1, 2, 3, 4}, 2, 2), t(new float[] {1, 0, 0, 1, 1, 1}, 3, 2), null));
    }

    @Test
    void packedLinear() {
        Tensor x = t(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor packed = Ops.packLinearWeight(t(new float[] {1, 0, 0, 1, 1, 1}, 3, 2), 2);
        Tensor bias = t(new float[] {0.5f, -1, 0}, 3);
        near(new float[] {1.5f, 1, 3, 3.5f, 3, 7}, Ops.linearPacked(x, packed, bias, "none"));
        near(new float[] {1, 2, 3, 3, 4, 7}, Ops.linearPacked(x, packed, null, "none"));
        near(new float[] {2.5f, 2, 4, 4.5f, 4, 8}, Ops.linearPackedAdd(x, packed, bias, t(new float[] {1, 1, 1, 1, 1, 1}, 2, 3)));
        float[] g = Ops.linearPacked(x, packed, bias, "gelu").toFloatArray();
        near(Ops.gelu(t(new float[] {1.5f, 1, 3, 3.5f, 3, 7}, 2, 3)).toFloatArray(), t(g, 2, 3));
    }

    @Test
    void conv2dAndTranspose() {
        // 3x3 input, 2x2 kernel of ones, stride 1: sums of 2x2 windows.
        Tensor x = t(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        Tensor k = t(new float[] {1, 1, 1, 1}, 1, 1, 2, 2);
        near(new float[] {12, 16, 24, 28}, Ops.conv2d(x, k, t(new float[] {0}, 1), 1, 0));
        // padding 1, stride 2: corners see one pixel each side.
        near(new float[] {1, 5, 11, 28}, Ops.conv2d(x, k, null, 2, 1));
        // transposed, kernel 2 stride 2: each input pixel becomes a 2x2 block scaled by the kernel.
        Tensor kt = t(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        near(new float[] {1, 2, 2, 4, 3, 4, 6, 8, 3, 6, 4, 8, 9, 12, 12, 16},
                Ops.convTranspose2d(t(new float[] {1, 2, 3, 4}, 1, 1, 2, 2), kt, null, 2, 0, 0));
    }

    @Test
    void normalisations() {
        // mean 2.5, variance 1.25 -> (x - 2.5) / sqrt(1.25 + eps)
        float s = (float) Math.sqrt(1.25 + 1e-5);
        near(new float[] {-1.5f / s, -0.5f / s, 0.5f / s, 1.5f / s},
                Ops.layerNorm(t(new float[] {1, 2, 3, 4}, 1, 4), new long[] {4}, null, null, 1e-5));
        Tensor w = t(new float[] {2, 2, 2, 2}, 4);
        Tensor b = t(new float[] {1, 1, 1, 1}, 4);
        near(new float[] {1 - 3 / s, 1 - 1 / s, 1 + 1 / s, 1 + 3 / s},
                Ops.layerNorm(t(new float[] {1, 2, 3, 4}, 1, 4), new long[] {4}, w, b, 1e-5));
        // batch norm, 2 channels: (x - mean) / sqrt(var + eps) * w + b
        Tensor x = t(new float[] {1, 2, 3, 4}, 1, 2, 1, 2);
        Tensor out = Ops.batchNorm(x, t(new float[] {1, 2}, 2), t(new float[] {0, 1}, 2), t(new float[] {1, 3}, 2),
                t(new float[] {4, 1}, 2), 0.0);
        near(new float[] {0, 0.5f, 1, 3}, out);
    }

    @Test
    void activations() {
        Tensor x = t(new float[] {-1, 0, 1, 2}, 4);
        near(new float[] {0, 0, 1, 2}, Ops.relu(x));
        Tensor y = Ops.add(x, 0.0);
        Ops.reluInPlace(y).close();
        near(new float[] {0, 0, 1, 2}, y);
        near(new float[] {-1, 0, 1, 2}, x);
        float[] gelu = new float[4];
        float[] sig = new float[4];
        float[] in = {-1, 0, 1, 2};
        for (int i = 0; i < 4; i++) {
            gelu[i] = (float) (in[i] * 0.5 * (1 + Reference.erf(in[i] / Math.sqrt(2))));
            sig[i] = (float) (1 / (1 + Math.exp(-in[i])));
        }
        near(gelu, Ops.gelu(x));
        near(sig, Ops.sigmoid(x));
        double e = Math.exp(1);
        near(new float[] {(float) (1 / (1 + e)), (float) (e / (1 + e))}, Ops.softmax(t(new float[] {0, 1}, 1, 2), -1));
        near(new float[] {(float) Math.sin(1), (float) Math.sin(2)}, Ops.sin(t(new float[] {1, 2}, 2)));
        near(new float[] {(float) Math.cos(1), (float) Math.cos(2)}, Ops.cos(t(new float[] {1, 2}, 2)));
        near(new float[] {(float) Math.exp(1), (float) Math.exp(-2)}, Ops.exp(t(new float[] {1, -2}, 2)));
        near(new float[] {(float) Reference.erf(0.5), (float) Reference.erf(-1)}, Ops.erf(t(new float[] {0.5f, -1}, 2)));
    }

    @Test
    void arithmetic() {
        Tensor a = t(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = t(new float[] {10, 20}, 2);
        near(new float[] {11, 22, 13, 24}, Ops.add(a, b));
        near(new float[] {-9, -18, -7, -16}, Ops.sub(a, b));
        near(new float[] {10, 40, 30, 80}, Ops.mul(a, b));
        near(new float[] {0.1f, 0.1f, 0.3f, 0.2f}, Ops.div(a, b));
        near(new float[] {3.5f, 4.5f, 5.5f, 6.5f}, Ops.add(a, 2.5));
        near(new float[] {-1, 0, 1, 2}, Ops.sub(a, 2));
        near(new float[] {-2, -4, -6, -8}, Ops.mul(a, -2));
        near(new float[] {0.25f, 0.5f, 0.75f, 1}, Ops.div(a, 4));
        assertEquals(DType.FLOAT32, Ops.div(a, 4).dtype());
    }

    @Test
    void matmulAndAttention() {
        Tensor a = t(new float[] {1, 2, 3, 4}, 1, 2, 2);
        Tensor b = t(new float[] {5, 6, 7, 8}, 1, 2, 2);
        near(new float[] {19, 22, 43, 50}, Ops.bmm(a, b));
        near(new float[] {19, 22, 43, 50}, Ops.matmul(a, b));
        // Into the second of two [2, 2] matrices of a larger tensor: the first stays untouched.
        Tensor target = Tensor.zeros(DType.FLOAT32, Device.cpu(), 2, 2, 2);
        Ops.bmmInto(Ops.narrow(target, 0, 1, 1), a, b);
        near(new float[] {0, 0, 0, 0, 19, 22, 43, 50}, target);
        // bias + 0.5 (a @ b), the bias broadcast over rows
        near(new float[] {10.5f, 12, 22.5f, 26}, Ops.baddbmm(t(new float[] {1, 1}, 1, 1, 2), a, b, 0.5));
        org.junit.jupiter.api.Assertions.assertThrows(TorchException.class, () -> Ops.baddbmm(t(new float[] {1, 1}, 2), a, t(new float[] {1, 2, 3}, 1, 3, 1), 1));
        // One query, two keys: scores q.k * scale + bias, softmax, weighted values.
        Tensor q = t(new float[] {1, 0}, 1, 1, 1, 2);
        Tensor k = t(new float[] {1, 0, 0, 1}, 1, 1, 2, 2);
        Tensor v = t(new float[] {10, 0, 0, 10}, 1, 1, 2, 2);
        Tensor bias = t(new float[] {0, 1}, 1, 1, 1, 2);
        // scale 1: scores (1 + 0, 0 + 1) -> equal weights
        near(new float[] {5, 5}, Ops.scaledDotProductAttention(q, k, v, bias, 1.0));
        // default scale 1/sqrt(2), no bias: weights softmax(0.7071, 0)
        double s0 = Math.exp(1 / Math.sqrt(2));
        float w0 = (float) (s0 / (s0 + 1));
        near(new float[] {10 * w0, 10 * (1 - w0)}, Ops.scaledDotProductAttention(q, k, v, null, Double.NaN));
    }

    @Test
    void shapes() {
        Tensor a = t(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        near(new float[] {1, 4, 2, 5, 3, 6}, Ops.contiguous(Ops.transpose(a, 0, 1)));
        near(new float[] {1, 4, 2, 5, 3, 6}, Ops.contiguous(Ops.permute(a, 1, 0)));
        assertArrayEquals(new long[] {3, 2}, Ops.reshape(a, 3, 2).shape());
        assertArrayEquals(new long[] {6}, Ops.view(a, 6).shape());
        assertArrayEquals(new long[] {1, 2, 3}, Ops.unsqueeze(a, 0).shape());
        assertArrayEquals(new long[] {2, 3}, Ops.squeeze(Ops.unsqueeze(a, 0), 0).shape());
        assertArrayEquals(new long[] {6}, Ops.flatten(a, 0, 1).shape());
        near(new float[] {1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6}, Ops.cat(0, a, a));
        assertArrayEquals(new long[] {2, 2, 3}, Ops.stack(0, a, a).shape());
        near(new float[] {2, 3, 5, 6}, Ops.contiguous(Ops.slice(a, 1, 1, 3)));
        near(new float[] {1, 3, 4, 6}, Ops.contiguous(Ops.slice(a, 1, 0, 3, 2)));
        near(new float[] {4, 5, 6}, Ops.contiguous(Ops.narrow(a, 0, 1, 1)));
        near(new float[] {4, 5, 6}, Ops.contiguous(Ops.select(a, 0, 1)));
        near(new float[] {3, 1, 6, 4}, Ops.indexSelect(a, 1, Tensor.of(new long[] {2, 0}, 2)));
        near(new float[] {3, 1, 5, 5}, Ops.gather(a, 1, Tensor.of(new long[] {2, 0, 1, 1}, 2, 2)));
        near(new float[] {0, 1, 2, 3, 0, 0, 4, 5, 6, 0}, Ops.pad(a, new long[] {1, 1}, 0.0));
        near(new float[] {9, 9, 9, 9, 9, 9, 1, 2, 3, 4, 5, 6}, Ops.pad(a, new long[] {0, 0, 2, 0}, 9.0));
        near(new float[] {1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6}, Ops.repeatInterleave(a, 2, 0));
        near(new float[] {7, 8, 7, 8, 7, 8}, Ops.contiguous(Ops.expand(t(new float[] {7, 8}, 1, 2), 3, 2)));
    }

    @Test
    void bilinearResize() {
        // align_corners=False: source = (dst + 0.5) / scale - 0.5, clamped at 0; 1x2 -> 1x4.
        near(new float[] {1, 1.25f, 1.75f, 2}, Ops.upsampleBilinear(t(new float[] {1, 2}, 1, 1, 1, 2), 1, 4, false, false));
        near(new float[] {1, 1.25f, 1.75f, 2}, Ops.upsampleBilinearScale(t(new float[] {1, 2}, 1, 1, 1, 2), 1, 2, false, false));
        // align_corners=True: endpoints fixed, linear in between.
        near(new float[] {1, 4f / 3, 5f / 3, 2}, Ops.upsampleBilinear(t(new float[] {1, 2}, 1, 1, 1, 2), 1, 4, true, false));
        // Antialiased 4 -> 2: triangle of half-width 2 around centres 1 and 3 (weights .75 .75 .25 / 1.75).
        near(new float[] {3f / 1.75f, 5.75f / 1.75f}, Ops.upsampleBilinear(t(new float[] {1, 2, 3, 4}, 1, 1, 1, 4), 1, 2, false, true));
    }

    @Test
    void bicubicFollowsTheCubicConvolutionKernel() {
        float[] x = {0, 1, 4, 9, 16, 25, 36, 49};
        float[] up = Ops.upsampleBicubic(t(x, 1, 1, 1, 8), 1, 16, false).toFloatArray();
        float[] byScale = Ops.upsampleBicubicScale(t(x, 1, 1, 1, 8), 1, 2, false).toFloatArray();
        for (int i = 0; i < 16; i++) {
            double source = (i + 0.5) / 2 - 0.5;
            int base = (int) Math.floor(source);
            double f = source - base;
            double[] w = {cubicFar(f + 1), cubicNear(f), cubicNear(1 - f), cubicFar(2 - f)};
            double expected = 0;
            for (int k = 0; k < 4; k++) {
                expected += w[k] * x[Math.min(Math.max(base - 1 + k, 0), 7)];
            }
            assertEquals(expected, up[i], 1e-4, "output " + i);
            assertEquals(expected, byScale[i], 1e-4, "output " + i);
        }
    }

    /** Keys' cubic convolution with A = -0.75, as PyTorch's bicubic. */
    private static double cubicNear(double d) {
        double a = -0.75;
        return ((a + 2) * d - (a + 3)) * d * d + 1;
    }

    private static double cubicFar(double d) {
        double a = -0.75;
        return ((a * d - 5 * a) * d + 8 * a) * d - 4 * a;
    }

    @Test
    void reductionsAndComparisons() {
        Tensor a = t(new float[] {1, 5, 3, 4, 2, 6}, 2, 3);
        assertArrayEquals(new long[] {1, 2}, Ops.argmax(a, 1, false).toLongArray());
        Tensor[] max = Ops.max(a, 1, false);
        near(new float[] {5, 6}, max[0]);
        assertArrayEquals(new long[] {1, 2}, max[1].toLongArray());
        near(new float[] {9, 12}, Ops.sum(a, 1, false));
        near(new float[] {2.5f, 3.5f, 4.5f}, Ops.mean(a, 0, false));
        near(new float[] {1, 6, 9, 4, 6, 12}, Ops.cumsum(a, 1));
        Tensor b = t(new float[] {2, 2, 2, 4, 4, 4}, 2, 3);
        assertArrayEquals(new byte[] {0, 1, 1, 0, 0, 1}, Ops.gt(a, b).toByteArray());
        assertArrayEquals(new byte[] {1, 0, 0, 0, 1, 0}, Ops.lt(a, b).toByteArray());
        assertArrayEquals(new byte[] {0, 1, 1, 1, 0, 1}, Ops.ge(a, b).toByteArray());
        assertArrayEquals(new byte[] {0, 0, 0, 1, 0, 0}, Ops.eq(a, b).toByteArray());
        assertArrayEquals(new byte[] {0, 1, 1, 1, 0, 1}, Ops.gt(a, 2.5).toByteArray());
        near(new float[] {2, 5, 3, 4, 4, 6}, Ops.where(Ops.gt(a, b), a, b));
        near(new float[] {2, 4, 3, 4, 2, 4}, Ops.clamp(a, Tensor.scalar(2), Tensor.scalar(4)));
    }

    @Test
    void dtypeAndDevice() {
        Tensor a = t(new float[] {1.7f, -2.2f}, 2);
        assertArrayEquals(new long[] {1, -2}, Ops.to(a, DType.INT64).toLongArray());
        assertArrayEquals(new double[] {1.7f, -2.2f}, Ops.to(a, DType.FLOAT64).toDoubleArray());
        Tensor c = Ops.to(a, Device.cpu());
        near(new float[] {1.7f, -2.2f}, c);
        assertEquals(Device.cpu(), c.device());
        assertEquals(1.7f, (float) Ops.narrow(a, 0, 0, 1).item(), EPS);
    }
}
