package org.cellpilot.torch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * A tiny conv + self-attention network run through the op layer, checked against the same network computed
 * by plain Java loops, and leaving no live handles.
 */
class SmallNetworkTest {
    @Test
    void convAttentionNetworkMatchesPlainJava() {
        long live = Tensor.liveCount();
        float[] image = new float[2 * 4 * 4];
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) Math.sin(i * 0.37);
        }
        float[] conv = new float[3 * 2 * 2 * 2];
        for (int i = 0; i < conv.length; i++) {
            conv[i] = (float) Math.cos(i * 0.21) * 0.5f;
        }
        float[] ours;
        try (Scope s = Scope.open()) {
            // conv 2x2 stride 2: [1,2,4,4] -> [1,3,2,2]; tokens [1,4,3]; attention with q = k = v = tokens
            Tensor x = Ops.conv2d(Tensor.of(image, 1, 2, 4, 4), Tensor.of(conv, 3, 2, 2, 2), null, 2, 0);
            Tensor tokens = Ops.permute(Ops.flatten(x, 2, 3), 0, 2, 1);
            Tensor q = Ops.unsqueeze(tokens, 1);
            ours = Ops.gelu(Ops.scaledDotProductAttention(q, q, q, null, Double.NaN)).toFloatArray();
        }
        assertEquals(live, Tensor.liveCount());

        double[][] tok = new double[4][3];
        for (int o = 0; o < 3; o++) {
            for (int py = 0; py < 2; py++) {
                for (int px = 0; px < 2; px++) {
                    double sum = 0;
                    for (int c = 0; c < 2; c++) {
                        for (int ky = 0; ky < 2; ky++) {
                            for (int kx = 0; kx < 2; kx++) {
                                sum += image[c * 16 + (py * 2 + ky) * 4 + px * 2 + kx] * conv[((o * 2 + c) * 2 + ky) * 2 + kx];
                            }
                        }
                    }
                    tok[py * 2 + px][o] = sum;
                }
            }
        }
        for (int i = 0; i < 4; i++) {
            double[] score = new double[4];
            double norm = 0;
            for (int j = 0; j < 4; j++) {
                double dot = 0;
                for (int c = 0; c < 3; c++) {
                    dot += tok[i][c] * tok[j][c];
                }
                score[j] = Math.exp(dot / Math.sqrt(3));
                norm += score[j];
            }
            for (int c = 0; c < 3; c++) {
                double v = 0;
                for (int j = 0; j < 4; j++) {
                    v += score[j] / norm * tok[j][c];
                }
                double gelu = 0.5 * v * (1 + Reference.erf(v / Math.sqrt(2)));
                assertEquals(gelu, ours[i * 3 + c], 1e-5, "token " + i + " channel " + c);
            }
        }
    }
}
