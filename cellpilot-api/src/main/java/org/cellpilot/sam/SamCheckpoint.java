package org.cellpilot.sam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cellpilot.nn.Weights;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.StateDict;

/**
 * Turns any SAM checkpoint a user may have into weights under Meta's names: Meta's {@code sam_vit_*.pth},
 * CellPilot's Lightning {@code .ckpt} (LoRA merged here), and Hugging Face {@code SamModel} files.
 */
final class SamCheckpoint {
    static final String META_ANCHOR = "image_encoder.patch_embed.proj.weight";
    static final String HF_ANCHOR = "vision_encoder.patch_embed.projection.weight";

    /** The checkpoint's layout, which decides key names and the decoder blocks' LayerNorm eps. */
    enum Layout { META, CELLPILOT_LORA, HUGGING_FACE }

    private SamCheckpoint() {
    }

    /** The weights in Meta's naming, and the layout they came from. */
    static final class Loaded {
        final Weights weights;
        final Layout layout;

        Loaded(Weights weights, Layout layout) {
            this.weights = weights;
            this.layout = layout;
        }
    }

    static Loaded load(StateDict sd) {
        String source = sd.source().toString();
        String meta = prefixOf(sd, META_ANCHOR);
        if (meta != null) {
            boolean lora = sd.contains(meta + "image_encoder.blocks.0.attn.qkv.qkv.weight");
            Map<String, Tensor> out = new LinkedHashMap<>();
            try {
                for (String key : sd.keys()) {
                    if (key.startsWith(meta) && !isLoraPart(key)) {
                        out.put(key.substring(meta.length()), Weights.float32(sd.get(key)));
                    }
                }
                if (lora) {
                    mergeLora(sd, meta, out);
                }
            } catch (RuntimeException e) {
                out.values().forEach(Tensor::close);
                throw e;
            }
            return new Loaded(Weights.of(out, source), lora ? Layout.CELLPILOT_LORA : Layout.META);
        }
        String hf = prefixOf(sd, HF_ANCHOR);
        if (hf != null) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (String key : sd.keys()) {
                if (key.startsWith(hf)) {
                    String name = HuggingFaceNames.toMeta(key.substring(hf.length()));
                    if (name != null && !out.containsKey(name)) {
                        out.put(name, Weights.float32(sd.get(key)));
                    }
                }
            }
            return new Loaded(Weights.of(out, source), Layout.HUGGING_FACE);
        }
        throw new IllegalArgumentException(describeForeign(sd));
    }

    /** The prefix before {@code anchor}; with several (CellPilot stores "sam." and "model."), "sam." wins. */
    private static String prefixOf(StateDict sd, String anchor) {
        List<String> found = new ArrayList<>();
        for (String key : sd.keys()) {
            if (key.endsWith(anchor)) {
                found.add(key.substring(0, key.length() - anchor.length()));
            }
        }
        if (found.isEmpty()) {
            return null;
        }
        for (String p : found) {
            if (p.endsWith("sam.") || p.isEmpty()) {
                return p;
            }
        }
        found.sort(null);
        return found.get(0);
    }

    private static final Pattern LORA = Pattern.compile("(.*blocks\\.\\d+\\.attn\\.qkv\\.)(linear_[ab]_[qv]|qkv)\\.(weight|bias)");

    private static boolean isLoraPart(String key) {
        return LORA.matcher(key).matches();
    }

    /**
     * CellPilot's {@code _LoRA_qkv} computes qkv(x) + [B_q·A_q·x, 0, B_v·A_v·x] with no scaling, so the merged
     * weight adds B_q·A_q to the q rows and B_v·A_v to the v rows; the bias is unchanged.
     */
    private static void mergeLora(StateDict sd, String prefix, Map<String, Tensor> out) {
        for (String key : sd.keys()) {
            Matcher m = LORA.matcher(key);
            if (!key.startsWith(prefix) || !m.matches() || !m.group(2).equals("qkv")) {
                continue;
            }
            String attn = m.group(1).substring(prefix.length(), m.group(1).length() - "qkv.".length());
            String base = m.group(1);
            if (m.group(3).equals("bias")) {
                out.put(attn + "qkv.bias", Weights.float32(sd.get(key)));
                continue;
            }
            try (Tensor w = Weights.float32(sd.get(key));
                 Tensor aq = Weights.float32(sd.get(base + "linear_a_q.weight"));
                 Tensor bq = Weights.float32(sd.get(base + "linear_b_q.weight"));
                 Tensor av = Weights.float32(sd.get(base + "linear_a_v.weight"));
                 Tensor bv = Weights.float32(sd.get(base + "linear_b_v.weight"));
                 Scope scope = Scope.open()) {
                long dim = w.size(1);
                if (w.size(0) != 3 * dim || bq.size(0) != dim || aq.size(1) != dim || bq.size(1) != aq.size(0)
                        || bv.size(0) != dim || av.size(1) != dim || bv.size(1) != av.size(0)) {
                    throw new IllegalArgumentException("LoRA weights of " + base + " in " + sd.source() + " do not fit qkv "
                            + w.describe() + ": A_q " + aq.describe() + ", B_q " + bq.describe() + ", A_v " + av.describe()
                            + ", B_v " + bv.describe());
                }
                Tensor q = Ops.add(Ops.narrow(w, 0, 0, dim), Ops.matmul(bq, aq));
                Tensor k = Ops.narrow(w, 0, dim, dim);
                Tensor v = Ops.add(Ops.narrow(w, 0, 2 * dim, dim), Ops.matmul(bv, av));
                out.put(attn + "qkv.weight", Scope.detach(scope.keep(Ops.cat(0, q, k, v))));
            }
        }
    }

    /** Says what a file that holds no SAM weights is, so the error helps. */
    private static String describeForeign(StateDict sd) {
        boolean cellvit = false;
        for (String k : sd.keys()) {
            if (k.endsWith("cls_token") || k.contains("decoder0") || k.contains("nuclei_binary_map_decoder")) {
                cellvit = true;
                break;
            }
        }
        String what = cellvit ? "a CellViT checkpoint" : "not a SAM checkpoint";
        String sample = String.join(", ", sd.keys().stream().limit(3).toArray(String[]::new));
        return sd.source() + " is " + what + ": no '" + META_ANCHOR + "' or '" + HF_ANCHOR + "' key (it has "
                + sd.keys().size() + " tensors, e.g. " + sample + ")";
    }
}
