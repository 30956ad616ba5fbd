package org.cellpilot.cellvit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cellpilot.cellvit.CellVitEncoder.Encoding;
import org.cellpilot.cellvit.SkipConnections.Skips;
import org.cellpilot.torch.DType;
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
 * them, so one model may serve several threads.
 */
public final class CellVit implements AutoCloseable {
    private static final String MODEL_STATE_DICT = "model_state_dict";

    private final List<Tensor> weights;
    private final CellVitEncoder encoder;
    private final SkipConnections skips;
    private final UpsamplingBranch nucleiBinaryMap;
    private final UpsamplingBranch hvMap;
    private final UpsamplingBranch nucleiTypeMap;

    private CellVit(Params p, List<Tensor> weights, int encoderHeads) {
        this.weights = weights;
        encoder = encoder(p.child("encoder"), encoderHeads);
        skips = new SkipConnections(p);
        nucleiBinaryMap = new UpsamplingBranch(p.child("nuclei_binary_map_decoder"));
        hvMap = new UpsamplingBranch(p.child("hv_map_decoder"));
        nucleiTypeMap = new UpsamplingBranch(p.child("nuclei_type_maps_decoder"));
    }

    /** Loads a CellViT-256 checkpoint file, with the ViT-S default of 6 encoder heads. */
    public static CellVit load(Path checkpoint) {
        return load(checkpoint, VisionTransformer256.DEFAULT_HEADS);
    }

    /**
     * Loads a CellViT checkpoint file: an official {@code .pth}, whose weights sit under {@code model_state_dict},
     * or a bare state dict. {@code encoderHeads} is the ViT-256 encoder's attention head count, which its tensor
     * shapes cannot tell.
     */
    public static CellVit load(Path checkpoint, int encoderHeads) {
        StateDict file = StateDict.load(checkpoint);
        StateDict model = file.withPrefix(MODEL_STATE_DICT);
        StateDict weights = model.keys().isEmpty() ? file : model;
        return load(Weights.of(weights::get, weights::contains), encoderHeads);
    }

    /**
     * Loads a CellViT from state-dict tensors whose keys start at {@code encoder.}, {@code decoder0.}, …, with
     * {@code encoderHeads} as for {@link #load(Path, int)}.
     */
    public static CellVit load(Weights weights, int encoderHeads) {
        List<Tensor> owned = new ArrayList<>();
        try {
            return new CellVit(new Params(weights, owned), owned, encoderHeads);
        } catch (RuntimeException e) {
            owned.forEach(Tensor::close);
            throw e;
        }
    }

    private static CellVitEncoder encoder(Params p, int heads) {
        if (p.has("cls_token")) {
            return new VisionTransformer256(p, heads);
        }
        if (p.has("blocks.0.attn.rel_pos_h")) {
            // TODO(sam): wrap org.cellpilot.sam's image encoder as a CellVitEncoder (cellvit.md section 1): heads from
            //  embed_dim / rel_pos_h width, z1..z4 the outputs of the four global blocks permuted to NCHW, and the
            //  tissue logits from classifier_head on the mean of the neck output.
            throw new UnsupportedOperationException("CellViT-SAM checkpoints (SAM image encoder) are not supported yet");
        }
        throw new IllegalArgumentException("not a CellViT encoder: checkpoint has neither '" + p.key("cls_token")
                + "' (ViT-256) nor '" + p.key("blocks.0.attn.rel_pos_h") + "' (SAM)");
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
     * of the patch size (16). The outputs belong to the current scope, or to the caller when none is open.
     */
    public CellVitOutput forward(Tensor input) {
        int patch = encoder.patchSize();
        if (input.dim() != 4 || input.size(1) != 3 || input.size(2) % patch != 0 || input.size(3) % patch != 0) {
            throw new IllegalArgumentException("expected a normalised batch [B, 3, H, W] with H and W multiples of " + patch
                    + ", got " + input.describe());
        }
        try (Scope scope = Scope.open()) {
            Encoding z = encoder.encode(input);
            Skips s = skips.forward(input, z);
            Tensor np = nucleiBinaryMap.forward(s);
            Tensor hv = hvMap.forward(s);
            Tensor nt = nucleiTypeMap.forward(s);
            // Kept only once all succeeded, so that a failure leaves nothing behind.
            return new CellVitOutput(scope.keep(z.tissueTypes()), scope.keep(np), scope.keep(hv), scope.keep(nt));
        }
    }

    @Override
    public void close() {
        weights.forEach(Tensor::close);
    }
}
