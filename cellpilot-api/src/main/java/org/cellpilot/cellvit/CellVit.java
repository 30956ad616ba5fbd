package org.cellpilot.cellvit;

import java.nio.file.Path;
import org.cellpilot.cellvit.CellVitEncoder.Encoding;
import org.cellpilot.cellvit.SkipConnections.Skips;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.DType;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.StateDict;

/**
 * The CellViT nucleus segmentation network: an image encoder, the UNETR skip paths, and three upsampling branches
 * for the nucleus/background map, the horizontal-vertical distance maps and the nucleus type map. Every width and
 * depth is read from the checkpoint; the encoder family is recognised from its keys.
 *
 * <p>The model owns the weight tensors it loaded and frees them on {@link #close()}. {@link #forward} only reads
 * them, so one model may serve several threads. The weights live on the device the model was loaded onto, and the
 * network runs there.
 */
public final class CellVit implements AutoCloseable {
    private static final String MODEL_STATE_DICT = "model_state_dict";

    private final Weights weights;
    private final Device device;
    private final CellVitEncoder encoder;
    private final SkipConnections skips;
    private final UpsamplingBranch nucleiBinaryMap;
    private final UpsamplingBranch hvMap;
    private final UpsamplingBranch nucleiTypeMap;

    private CellVit(Weights w, int encoderHeads, Device device) {
        this.weights = w;
        this.device = device;
        encoder = encoder(w, encoderHeads);
        try {
            skips = new SkipConnections(w);
            nucleiBinaryMap = new UpsamplingBranch(w.at("nuclei_binary_map_decoder."));
            hvMap = new UpsamplingBranch(w.at("hv_map_decoder."));
            nucleiTypeMap = new UpsamplingBranch(w.at("nuclei_type_maps_decoder."));
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
    }

    /** Loads a CellViT checkpoint file, with the ViT-S default of 6 encoder heads for CellViT-256. */
    public static CellVit load(Path checkpoint) {
        return load(checkpoint, VisionTransformer256.DEFAULT_HEADS);
    }

    /**
     * Loads a CellViT checkpoint file: an official {@code .pth}, whose weights sit under {@code model_state_dict},
     * or a bare state dict. {@code encoderHeads} is the ViT-256 encoder's attention head count, which its tensor
     * shapes cannot tell; a SAM encoder's follows from its shapes, and it ignores this.
     */
    public static CellVit load(Path checkpoint, int encoderHeads) {
        return load(checkpoint, encoderHeads, Device.cpu());
    }

    /** As {@link #load(Path, int)}, onto {@code device}: the weights are copied there once, and the network runs there. */
    public static CellVit load(Path checkpoint, int encoderHeads, Device device) {
        StateDict file = StateDict.load(checkpoint);
        StateDict model = file.withPrefix(MODEL_STATE_DICT);
        return load(Weights.load(model.keys().isEmpty() ? file : model), encoderHeads, device);
    }

    /**
     * Builds a CellViT on state-dict tensors whose keys start at {@code encoder.}, {@code decoder0.}, …, with
     * {@code encoderHeads} as for {@link #load(Path, int)}. The model owns {@code weights} from here on, and
     * frees them when it closes or when they do not make a CellViT.
     */
    public static CellVit load(Weights weights, int encoderHeads) {
        return load(weights, encoderHeads, Device.cpu());
    }

    /** As {@link #load(Weights, int)}, onto {@code device}. */
    public static CellVit load(Weights weights, int encoderHeads, Device device) {
        try {
            weights.moveTo(device);
            return new CellVit(weights, encoderHeads, device);
        } catch (RuntimeException e) {
            weights.close();
            throw e;
        }
    }

    /** The encoder family is told by its keys, as the checkpoints' {@code arch} names are not reliable. */
    private static CellVitEncoder encoder(Weights w, int heads) {
        if (w.has("encoder.cls_token")) {
            return new VisionTransformer256(w.at("encoder."), heads);
        }
        if (w.has("encoder.blocks.0.attn.rel_pos_h")) {
            return new SamEncoder(w);
        }
        throw new IllegalArgumentException("not a CellViT encoder: " + w.source() + " has neither 'encoder.cls_token' "
                + "(ViT-256) nor 'encoder.blocks.0.attn.rel_pos_h' (SAM)");
    }

    /** Where the weights live and the network runs. */
    public Device device() {
        return device;
    }

    /** Input sides must be multiples of this (16 for every published CellViT). */
    public int patchSize() {
        return encoder.patchSize();
    }

    /**
     * The largest square input the network takes: a CellViT-SAM's trained image size (1024 for SAM-B), because the
     * reference crops its position embedding rather than resampling it; unbounded ({@link Integer#MAX_VALUE}) for
     * CellViT-256.
     */
    public int maxInputSide() {
        return encoder.maxSide();
    }

    /**
     * CellViT's input transform for RGB images {@code [B, H, W, 3]} of uint8: {@code ToTensor} (x/255, channels
     * first) then {@code Normalize(0.5, 0.5)}, giving {@code [B, 3, H, W]} float32 in [-1, 1].
     */
    public static Tensor normalize(Tensor rgb) {
        if (rgb.dim() != 4 || rgb.size(3) != 3 || rgb.dtype() != DType.UINT8) {
            throw new IllegalArgumentException("expected uint8 RGB images [B, H, W, 3], got " + rgb.describe());
        }
        try (Scope scope = Scope.open()) {
            Tensor x = Ops.div(Ops.to(Ops.permute(rgb, 0, 3, 1, 2), DType.FLOAT32), 255.0);
            return scope.keep(Ops.div(Ops.sub(x, 0.5), 0.5));
        }
    }

    /**
     * Runs the network on a {@linkplain #normalize normalised} batch {@code [B, 3, H, W]} whose sides are multiples
     * of the patch size (16); a CellViT-SAM also needs them equal and at most {@link #maxInputSide()}. An input on
     * another device is copied to the model's. The outputs stay on the model's device (reading them copies them to
     * the CPU) and belong to the current scope, or to the caller when none is open.
     */
    public CellVitOutput forward(Tensor input) {
        int patch = encoder.patchSize();
        if (input.dim() != 4 || input.size(1) != 3 || input.size(2) % patch != 0 || input.size(3) % patch != 0) {
            throw new IllegalArgumentException("expected a normalised batch [B, 3, H, W] with H and W multiples of " + patch
                    + ", got " + input.describe());
        }
        try (Scope scope = Scope.open()) {
            Tensor x = input.device().equals(device) ? input : Ops.to(input, device);
            Encoding z = encoder.encode(x);
            Skips s = skips.forward(x, z);
            Tensor np = nucleiBinaryMap.forward(s);
            Tensor hv = hvMap.forward(s);
            Tensor nt = nucleiTypeMap.forward(s);
            // Kept only once all succeeded, so that a failure leaves nothing behind.
            return new CellVitOutput(scope.keep(z.tissueTypes()), scope.keep(np), scope.keep(hv), scope.keep(nt));
        }
    }

    @Override
    public void close() {
        encoder.close();
        weights.close();
    }
}
