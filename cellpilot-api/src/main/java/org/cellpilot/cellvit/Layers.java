package org.cellpilot.cellvit;

import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Tensor;

/** The {@code torch.nn} layers CellViT is built from, each read from its module prefix, in inference mode. */
final class Layers {
    private Layers() {
    }

    static final class Linear implements Layer {
        private final Tensor weight;
        private final Tensor bias;

        Linear(Params p) {
            weight = p.get("weight");
            bias = p.get("bias");
        }

        @Override
        public Tensor forward(Tensor x) {
            return Ops.linear(x, weight, bias);
        }
    }

    static final class LayerNorm implements Layer {
        private final Tensor weight;
        private final Tensor bias;
        private final double eps;

        LayerNorm(Params p, double eps) {
            weight = p.get("weight");
            bias = p.get("bias");
            this.eps = eps;
        }

        @Override
        public Tensor forward(Tensor x) {
            return Ops.layerNorm(x, new long[] {weight.size(0)}, weight, bias, eps);
        }
    }

    /** Stride 1 with "same" padding, which is how every CellViT decoder convolution is configured. */
    static final class Conv2d implements Layer {
        private final Tensor weight;
        private final Tensor bias;
        private final int padding;

        Conv2d(Params p) {
            weight = p.get("weight");
            bias = p.get("bias");
            padding = (int) (weight.size(2) - 1) / 2;
        }

        @Override
        public Tensor forward(Tensor x) {
            return Ops.conv2d(x, weight, bias, 1, padding);
        }
    }

    /** Stride equal to the kernel (2 in CellViT): each input pixel becomes one k×k output patch. */
    static final class ConvTranspose2d implements Layer {
        private final Tensor weight;
        private final Tensor bias;
        private final int stride;

        ConvTranspose2d(Params p) {
            weight = p.get("weight");
            bias = p.get("bias");
            stride = (int) weight.size(2);
        }

        @Override
        public Tensor forward(Tensor x) {
            return Ops.convTranspose2d(x, weight, bias, stride, 0, 0);
        }
    }

    static final class BatchNorm2d implements Layer {
        private static final double EPS = 1e-5;

        private final Tensor weight;
        private final Tensor bias;
        private final Tensor runningMean;
        private final Tensor runningVar;

        BatchNorm2d(Params p) {
            weight = p.get("weight");
            bias = p.get("bias");
            runningMean = p.get("running_mean");
            runningVar = p.get("running_var");
        }

        @Override
        public Tensor forward(Tensor x) {
            return Ops.batchNorm(x, weight, bias, runningMean, runningVar, EPS);
        }
    }
}
