package org.cellpilot.sam;

import java.nio.file.Path;
import java.util.List;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Torch;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.StateDict;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded SAM (image encoder, prompt encoder, mask decoder), from Meta, CellPilot or Hugging Face
 * checkpoints. The weights are read-only after loading, so one model serves any number of threads;
 * each {@link SamPredictor} holds one image's embedding.
 */
public final class SamModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SamModel.class);

    /** SAM's mask-decoder head count, which the weights cannot reveal. */
    public static final int DEFAULT_DECODER_HEADS = 8;

    private final Weights weights;
    private final SamCheckpoint.Layout layout;
    private final ImageEncoder imageEncoder;
    private final PromptEncoder promptEncoder;
    private final MaskDecoder maskDecoder;
    private final String fingerprint;

    private SamModel(SamCheckpoint.Loaded loaded, int decoderHeads, String fingerprint) {
        this.fingerprint = fingerprint + "/heads=" + decoderHeads;
        this.weights = loaded.weights;
        this.layout = loaded.layout;
        ImageEncoder encoder = null;
        PromptEncoder prompts = null;
        try {
            encoder = new ImageEncoder(weights.at("image_encoder."));
            prompts = new PromptEncoder(weights.at("prompt_encoder."), encoder.embeddingSize(), encoder.imageSize());
            if (prompts.embedDim() != encoder.outChannels()) {
                throw new IllegalArgumentException("prompt embedding dim " + prompts.embedDim() + " differs from the image "
                        + "encoder's output channels " + encoder.outChannels() + " in " + weights.source());
            }
            this.maskDecoder = new MaskDecoder(weights.at("mask_decoder."), decoderHeads, decoderBlockEps(layout), prompts.densePe());
        } catch (RuntimeException e) {
            if (prompts != null) {
                prompts.close();
            }
            if (encoder != null) {
                encoder.close();
            }
            weights.close();
            throw e;
        }
        this.imageEncoder = encoder;
        this.promptEncoder = prompts;
        LOG.info("SAM loaded from {} ({}): image {}, embed {} x {} blocks, {} heads, global blocks {}",
                weights.source(), layout, imageEncoder.imageSize(), imageEncoder.embedDim(), imageEncoder.depth(),
                imageEncoder.heads(), java.util.Arrays.toString(imageEncoder.globalBlocks()));
    }

    public static SamModel load(Path checkpoint) {
        return load(checkpoint, DEFAULT_DECODER_HEADS);
    }

    public static SamModel load(Path checkpoint, int decoderHeads) {
        return load(StateDict.load(checkpoint), decoderHeads);
    }

    public static SamModel load(StateDict stateDict, int decoderHeads) {
        return load(stateDict, decoderHeads, EncoderPrecision.FLOAT32);
    }

    /**
     * Loads a model whose image encoder runs its linear layers in {@code precision}. Attention, normalisation
     * and the residual stream stay float32 (bf16 attention is slow on CPUs and costs accuracy), and so do the
     * prompt encoder and the mask decoder.
     */
    public static SamModel load(StateDict stateDict, int decoderHeads, EncoderPrecision precision) {
        return load(stateDict, decoderHeads, precision, Device.cpu());
    }

    /**
     * Loads the model onto {@code device}: every weight is copied there once, and each call's inputs follow the
     * image embedding's device. Results come back to the CPU when they are read.
     */
    public static SamModel load(StateDict stateDict, int decoderHeads, EncoderPrecision precision, Device device) {
        Torch.get().requireDevice(device);
        if (decoderHeads < 1) {
            throw new IllegalArgumentException("decoder heads must be >= 1, got " + decoderHeads);
        }
        String fingerprint = Fingerprint.ofFile(stateDict.source()) + "/" + precision;
        try (Scope ignored = Scope.open()) {
            SamCheckpoint.Loaded loaded = SamCheckpoint.load(stateDict);
            if (precision == EncoderPrecision.BFLOAT16) {
                castEncoderLinears(loaded.weights, DType.BFLOAT16);
            }
            loaded.weights.moveTo(device);
            return new SamModel(loaded, decoderHeads, fingerprint);
        }
    }

    /** The image encoder's choice of arithmetic for its linear layers. */
    public enum EncoderPrecision { FLOAT32, BFLOAT16 }

    private static final java.util.regex.Pattern ENCODER_LINEAR =
            java.util.regex.Pattern.compile("image_encoder\\.blocks\\.\\d+\\.(attn\\.(qkv|proj)|mlp\\.lin[12])\\.(weight|bias)");

    private static void castEncoderLinears(Weights weights, DType dtype) {
        for (String name : List.copyOf(weights.names())) {
            if (ENCODER_LINEAR.matcher(name).matches()) {
                weights.replace(name, Scope.detach(Ops.to(weights.get(name), dtype)));
            }
        }
    }

    /**
     * Identifies the checkpoint (and head count) so that saved embeddings are only reused with the model that
     * made them; see {@link Fingerprint#ofFile}.
     */
    public String fingerprint() {
        return fingerprint;
    }

    /** The model input side (1024 for ViT-B). */
    public int imageSize() {
        return imageEncoder.imageSize();
    }

    /** Side of the low-res mask logits and of {@code mask_input}: 4 × the embedding side (256 for ViT-B). */
    public int lowResSize() {
        return 4 * imageEncoder.embeddingSize();
    }

    /** A weight of the image encoder as loaded (after any precision change), for inspection. */
    Tensor imageEncoderWeight(String name) {
        return weights.at("image_encoder.").get(name);
    }

    public ImageEncoder imageEncoder() {
        return imageEncoder;
    }

    /** True when the checkpoint was in Hugging Face's layout, whose decoder blocks use LayerNorm eps 1e-6. */
    public boolean huggingFaceLayout() {
        return layout == SamCheckpoint.Layout.HUGGING_FACE;
    }

    double decoderBlockEps() {
        return decoderBlockEps(layout);
    }

    private static double decoderBlockEps(SamCheckpoint.Layout layout) {
        return layout == SamCheckpoint.Layout.HUGGING_FACE ? TwoWayTransformer.HF_BLOCK_EPS : TwoWayTransformer.META_EPS;
    }

    PromptEncoder promptEncoder() {
        return promptEncoder;
    }

    MaskDecoder maskDecoder() {
        return maskDecoder;
    }

    /** The preprocessed input [1, 3, size, size] for interleaved 8-bit RGB pixels. */
    public Tensor preprocess(byte[] rgb, int width, int height) {
        return Preprocess.apply(java.nio.ByteBuffer.wrap(rgb), transform(width, height), imageSize());
    }

    ResizeLongestSide transform(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("empty image: " + width + "x" + height);
        }
        return new ResizeLongestSide(height, width, imageSize());
    }

    /** Encodes an image (interleaved 8-bit RGB) once; the predictor then answers prompts on it. */
    public SamPredictor predictor(byte[] rgb, int width, int height) {
        return predictor(java.nio.ByteBuffer.wrap(rgb), width, height);
    }

    /** The same, reading the pixels in place from a buffer (its position on): a large direct image is not copied. */
    public SamPredictor predictor(java.nio.ByteBuffer rgb, int width, int height) {
        ResizeLongestSide t = transform(width, height);
        if (rgb.remaining() != (long) width * height * 3) {
            throw new IllegalArgumentException("expected " + (long) width * height * 3 + " RGB bytes for " + width + "x" + height
                    + ", got " + rgb.remaining());
        }
        try (Scope scope = Scope.open()) {
            Tensor input = Ops.onDeviceOf(Preprocess.apply(rgb, t, imageSize()), imageEncoderWeight("pos_embed"));
            Tensor embedding = imageEncoder.forward(input);
            return new SamPredictor(this, Scope.detach(scope.keep(embedding)), t);
        }
    }

    /** A predictor over an embedding computed earlier for an image of {@code width × height}; takes ownership. */
    public SamPredictor predictor(Tensor embedding, int width, int height) {
        long s = imageEncoder.embeddingSize();
        if (embedding.dim() != 4 || embedding.size(0) != 1 || embedding.size(1) != imageEncoder.outChannels()
                || embedding.size(2) != s || embedding.size(3) != s) {
            throw new IllegalArgumentException("image embedding must be [1, " + imageEncoder.outChannels() + ", " + s + ", " + s
                    + "], got " + embedding.describe());
        }
        Tensor weight = imageEncoderWeight("pos_embed");
        if (embedding.device().equals(weight.device())) {
            return new SamPredictor(this, embedding, transform(width, height));
        }
        try (Tensor source = embedding) {
            return new SamPredictor(this, Scope.detach(Ops.to(source, weight.device())), transform(width, height));
        }
    }

    @Override
    public void close() {
        imageEncoder.close();
        maskDecoder.close();
        promptEncoder.close();
        weights.close();
    }
}
