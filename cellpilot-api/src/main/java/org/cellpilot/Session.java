package org.cellpilot;

import java.awt.Rectangle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.cellpilot.detect.Nucleus;
import org.cellpilot.sam.RegionMask;
import org.cellpilot.sam.SamModel;
import org.cellpilot.sam.SamPredictor;
import org.cellpilot.sam.SamPrompt;
import org.cellpilot.torch.Ops;
import org.cellpilot.torch.Scope;
import org.cellpilot.torch.Tensor;
import org.cellpilot.torch.checkpoint.SafetensorsWriter;
import org.cellpilot.torch.checkpoint.StateDict;

/**
 * One image (or one region of it) being segmented: its embedding, computed once at first use, and its masks
 * with undo and redo. Coordinates are full-image pixels throughout.
 *
 * <p>A session serialises its calls (every method is synchronized), so it may be shared between threads,
 * though a viewer usually keeps one per field of view on its UI worker. Once encoded, a ViT-B session holds about
 * 14 MB of native memory: the 4 MB embedding and 10 MB of per-image decoder work that every prompt reuses.
 * {@link #close()} frees it; any call after that throws {@link IllegalStateException}.
 */
public final class Session implements AutoCloseable {
    private static final int UNDO_DEPTH = 64;
    private static final String EMBEDDING_TENSOR = "image_embedding";
    private static final String EMBEDDING_IMAGE = "cellpilot.image";
    private static final String EMBEDDING_MODEL = "cellpilot.model";
    /**
     * Prompts per decoder pass in automatic mode. The per-prompt image keys are [chunk, S², C]: 4 keeps them at
     * 16 MB for ViT-B, which malloc recycles; 32 (134 MB) ran 2× slower per box on a 2-core machine.
     */
    private static final int DECODER_CHUNK = 4;

    private final CellPilot owner;
    private final RgbImage image;
    /** SHA-256 of the pixels, computed at first need (the embedding cache, saving or opening an embedding). */
    private String imageFingerprint;
    /** Where the session's pixel (0, 0) lies in full-image (for a slide, level-0) pixels. */
    private final int offsetX;
    private final int offsetY;
    /** Full-image pixels per session pixel: 1, or a slide level's downsample. */
    private final double scale;
    private final Map<Long, History.State> masks = new LinkedHashMap<>();
    private final History history = new History(UNDO_DEPTH);
    private SamPredictor predictor;
    private long nextId = 1;
    private boolean closed;

    Session(CellPilot owner, RgbImage full, Rectangle region) {
        this.owner = owner;
        boolean whole = region.x == 0 && region.y == 0 && region.width == full.width() && region.height == full.height();
        this.image = whole ? full : full.crop(region);
        this.offsetX = region.x;
        this.offsetY = region.y;
        this.scale = 1;
    }

    /** A session on pixels already read (a slide region at some level), placed at (x, y) and scaled by {@code scale}. */
    Session(CellPilot owner, RgbImage pixels, int x, int y, double scale) {
        this.owner = owner;
        this.image = pixels;
        this.offsetX = x;
        this.offsetY = y;
        this.scale = scale;
    }

    /** A mask in the session's own pixels, in full-image pixels. */
    private MaskRaster toFull(MaskRaster local) {
        return GridMapping.toLevel0(local, scale, offsetX, offsetY);
    }

    private double fullX(double localX) {
        return offsetX + localX * scale;
    }

    private double fullY(double localY) {
        return offsetY + localY * scale;
    }

    /**
     * Saves this image's embedding (computing it if needed) as safetensors, keyed by the pixels' and the model's
     * fingerprints, so {@link CellPilot#open(RgbImage, Rectangle, Path)} can skip the encoder next time.
     */
    public synchronized void saveEmbedding(Path file) {
        requireOpen();
        SamPredictor p = predictor();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(EMBEDDING_IMAGE, imageFingerprint());
        meta.put(EMBEDDING_MODEL, owner.sam().fingerprint());
        SafetensorsWriter.write(file, Map.of(EMBEDDING_TENSOR, p.embedding()), meta);
    }

    /** Uses an embedding saved by {@link #saveEmbedding}, refusing one made for other pixels or another model. */
    synchronized void useEmbedding(Path file) {
        requireOpen();
        SamModel sam = owner.sam();
        if (sam == null) {
            throw new IllegalStateException("a saved embedding needs SAM weights: build CellPilot with .sam(checkpoint)");
        }
        StateDict sd = StateDict.load(file);
        Object imageKey = sd.metadata(EMBEDDING_IMAGE);
        Object modelKey = sd.metadata(EMBEDDING_MODEL);
        if (!imageFingerprint().equals(imageKey)) {
            throw new IllegalArgumentException(file + " holds the embedding of another image (or region)");
        }
        if (!sam.fingerprint().equals(modelKey)) {
            throw new IllegalArgumentException(file + " was computed with another SAM model");
        }
        if (!sd.contains(EMBEDDING_TENSOR)) {
            throw new IllegalArgumentException(file + " has no '" + EMBEDDING_TENSOR + "' tensor");
        }
        Tensor t = sd.get(EMBEDDING_TENSOR);
        try (Scope scope = Scope.open()) {
            SamPredictor loaded = sam.predictor(Scope.detach(scope.keep(Ops.contiguous(t))), image.width(), image.height());
            if (predictor != null) {
                predictor.close();
            }
            predictor = loaded;
        } finally {
            t.close();
        }
    }

    /** The session's area in full-image pixels. */
    public synchronized Rectangle region() {
        return new Rectangle(offsetX, offsetY, (int) Math.round(image.width() * scale), (int) Math.round(image.height() * scale));
    }

    /**
     * Finds every nucleus and segments it: detector boxes go through SAM in batched decoder passes, each mask
     * computed only around its box (see {@link SamPredictor#predictRegions}). Without SAM the detector's own
     * instance masks are returned. Replaces the masks of an earlier automatic run; interactive masks stay.
     */
    public synchronized List<Mask> segmentAutomatically() {
        return segmentAutomatically((done, total) -> { });
    }

    /**
     * {@link #segmentAutomatically()}, telling {@code progress} how many of the detected cells SAM has segmented
     * (done, total) after each decoder pass, on the calling thread; a viewer can drive a progress bar with it.
     */
    public synchronized List<Mask> segmentAutomatically(BiConsumer<Integer, Integer> progress) {
        requireOpen();
        List<Nucleus> nuclei = owner.detector().detect(image);
        Map<Long, History.State> before = new LinkedHashMap<>();
        Map<Long, History.State> after = new LinkedHashMap<>();
        masks.forEach((id, s) -> {
            if (s.mask().source() == Mask.Source.AUTOMATIC) {
                before.put(id, s);
                after.put(id, null);
            }
        });
        List<Mask> made = owner.hasSam() ? segmentWithSam(nuclei, progress) : detectorMasks(nuclei);
        for (Mask m : made) {
            before.put(m.id(), null);
            after.put(m.id(), new History.State(m, null));
        }
        apply(after);
        history.record(new History.Change(before, after));
        return made;
    }

    private List<Mask> segmentWithSam(List<Nucleus> nuclei, BiConsumer<Integer, Integer> progress) {
        List<SamPrompt> prompts = new ArrayList<>(nuclei.size());
        for (Nucleus n : nuclei) {
            int[] b = n.box();
            prompts.add(SamPrompt.box(b[0], b[1], b[2], b[3]));
        }
        List<RegionMask> regions = predictor().predictRegions(prompts, DECODER_CHUNK, progress);
        List<Mask> out = new ArrayList<>();
        for (int i = 0; i < regions.size(); i++) {
            RegionMask r = regions.get(i);
            MaskRaster raster = toFull(MaskRaster.of(r.x0, r.y0, r.width(), r.height(), r::contains));
            if (!raster.isEmpty()) {
                Nucleus n = nuclei.get(i);
                int[] b = n.box();
                Prompt box = Prompt.box(fullX(b[0]), fullY(b[1]), fullX(b[2]), fullY(b[3]));
                out.add(new Mask(nextId++, raster, r.iou, n.type(), n.typeProbability(), Mask.Source.AUTOMATIC, List.of(box)));
            }
        }
        return out;
    }

    private List<Mask> detectorMasks(List<Nucleus> nuclei) {
        List<Mask> out = new ArrayList<>();
        for (Nucleus n : nuclei) {
            MaskRaster raster = toFull(n.raster());
            if (!raster.isEmpty()) {
                out.add(new Mask(nextId++, raster, 1.0, n.type(), n.typeProbability(), Mask.Source.AUTOMATIC, List.of()));
            }
        }
        return out;
    }

    /** A new mask from points and/or a box. A single click asks SAM for three candidates and keeps the best. */
    public synchronized Mask add(Prompt prompt) {
        requireOpen();
        Predicted p = predict(List.of(prompt), null);
        Mask m = new Mask(nextId++, p.raster, p.iou, null, Double.NaN, Mask.Source.INTERACTIVE, List.of(prompt));
        change(m.id(), new History.State(m, p.logits));
        return m;
    }

    /**
     * Refines mask {@code id}: SAM gets the mask's whole prompt history plus {@code prompt}, and its previous
     * low-res logits as {@code mask_input}. The result keeps the id; {@link #undo()} brings the old one back.
     */
    public synchronized Mask refine(long id, Prompt prompt) {
        requireOpen();
        History.State s = state(id);
        List<Prompt> prompts = new ArrayList<>(s.mask().prompts());
        float[] previous = s.lowResLogits();
        if (previous == null) {
            // Automatic masks keep no logits (they were computed region by region); their box gives them again.
            previous = prompts.isEmpty() ? null : lowResLogits(prompts);
        }
        prompts.add(prompt);
        Predicted p = predict(prompts, previous);
        Mask old = s.mask();
        Mask m = new Mask(id, p.raster, p.iou, old.type().orElse(null), old.typeProbability(), old.source(), prompts);
        change(id, new History.State(m, p.logits));
        return m;
    }

    /**
     * SAM's answer to {@code prompt} alone, as Meta's {@code SamPredictor.predict}: stateless, so no mask is made
     * and the history is untouched (an evaluation protocol or a server that keeps its own state uses this).
     *
     * @param maskInput low-res logits of an earlier prediction ({@link Prediction#lowResLogits}), or null
     * @param multimask three candidates (SAM's answer to an ambiguous prompt) instead of one
     */
    public synchronized Prediction predict(Prompt prompt, float[] maskInput, boolean multimask) {
        requireOpen();
        int low = owner.hasSam() ? owner.sam().lowResSize() : 0;
        if (maskInput != null && low > 0 && maskInput.length != low * low) {
            throw new IllegalArgumentException("maskInput has " + maskInput.length + " values; this model's low-res logits are "
                    + low + " x " + low);
        }
        try (Scope scope = Scope.open()) {
            try (SamPredictor.Prediction p = predictor().predict(samPrompt(List.of(prompt), maskInput), multimask)) {
                return new Prediction(image.width(), image.height(), p.masks.toByteArray(), p.iou.toFloatArray(),
                        p.lowResLogits.toFloatArray());
            }
        }
    }

    public synchronized void remove(long id) {
        requireOpen();
        state(id);
        change(id, null);
    }

    /** Reverts the last add, refine, remove or automatic run; false if there is nothing to undo. */
    public synchronized boolean undo() {
        requireOpen();
        History.Change c = history.undo();
        if (c != null) {
            apply(c.before());
        }
        return c != null;
    }

    public synchronized boolean redo() {
        requireOpen();
        History.Change c = history.redo();
        if (c != null) {
            apply(c.after());
        }
        return c != null;
    }

    /** The current masks, in the order they were made. */
    public synchronized List<Mask> masks() {
        requireOpen();
        List<Mask> out = new ArrayList<>(masks.size());
        for (History.State s : masks.values()) {
            out.add(s.mask());
        }
        return Collections.unmodifiableList(out);
    }

    public synchronized Optional<Mask> mask(long id) {
        requireOpen();
        History.State s = masks.get(id);
        return s == null ? Optional.empty() : Optional.of(s.mask());
    }

    private History.State state(long id) {
        History.State s = masks.get(id);
        if (s == null) {
            throw new IllegalArgumentException("no mask with id " + id + " in this session");
        }
        return s;
    }

    private void change(long id, History.State next) {
        Map<Long, History.State> before = new LinkedHashMap<>();
        before.put(id, masks.get(id));
        Map<Long, History.State> after = new LinkedHashMap<>();
        after.put(id, next);
        apply(after);
        history.record(new History.Change(before, after));
    }

    private void apply(Map<Long, History.State> states) {
        states.forEach((id, s) -> {
            if (s == null) {
                masks.remove(id);
            } else {
                masks.put(id, s);
            }
        });
    }

    /** SAM's answer to a prompt history: the best candidate's mask, IoU and low-res logits. */
    private record Predicted(MaskRaster raster, double iou, float[] logits) {
    }

    private Predicted predict(List<Prompt> prompts, float[] maskInput) {
        try (Scope scope = Scope.open()) {
            SamPrompt prompt = samPrompt(prompts, maskInput);
            try (SamPredictor.Prediction p = predictor().predictBest(prompt, multimask(prompt))) {
                byte[] bits = p.masks.toByteArray();
                int w = image.width();
                MaskRaster raster = toFull(MaskRaster.of(0, 0, w, image.height(), (x, y) -> bits[y * w + x] != 0));
                return new Predicted(raster, p.iou.toFloatArray()[0], p.lowResLogits.toFloatArray());
            }
        }
    }

    /** The low-res logits SAM gives {@code prompts}, without the full-resolution mask that nobody would read. */
    private float[] lowResLogits(List<Prompt> prompts) {
        try (Scope scope = Scope.open()) {
            SamPrompt prompt = samPrompt(prompts, null);
            return predictor().bestLowResLogits(prompt, multimask(prompt));
        }
    }

    /** A single click asks SAM for three candidates (ambiguity-aware); anything more for one mask. */
    private static boolean multimask(SamPrompt prompt) {
        return prompt.pointCount() == 1 && !prompt.hasBox() && !prompt.hasMask();
    }

    /** All of {@code prompts} in the session's own pixels, with {@code maskInput} (in the current scope) if given. */
    private SamPrompt samPrompt(List<Prompt> prompts, float[] maskInput) {
        SamModel sam = owner.sam();
        if (sam == null) {
            throw new IllegalStateException("interactive segmentation needs SAM weights: build CellPilot with .sam(checkpoint)");
        }
        Prompt all = prompts.get(0);
        for (int i = 1; i < prompts.size(); i++) {
            all = all.and(prompts.get(i));
        }
        List<Prompt.Point> pts = all.points();
        double[][] coords = new double[pts.size()][];
        int[] labels = new int[pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            Prompt.Point p = pts.get(i);
            checkInside("point " + p, p.x, p.y);
            coords[i] = new double[] {(p.x - offsetX) / scale, (p.y - offsetY) / scale};
            labels[i] = p.positive ? 1 : 0;
        }
        double[] box = all.box();
        if (box != null) {
            checkInside("box corner", box[0], box[1]);
            checkInside("box corner", box[2], box[3]);
            box = new double[] {(box[0] - offsetX) / scale, (box[1] - offsetY) / scale, (box[2] - offsetX) / scale, (box[3] - offsetY) / scale};
        }
        int low = sam.lowResSize();
        return new SamPrompt(coords, labels, box, maskInput == null ? null : Tensor.of(maskInput, 1, low, low));
    }

    private String imageFingerprint() {
        if (imageFingerprint == null) {
            imageFingerprint = image.fingerprint();
        }
        return imageFingerprint;
    }

    private void checkInside(String what, double x, double y) {
        if (x < offsetX || y < offsetY || x > fullX(image.width()) || y > fullY(image.height())) {
            throw new IllegalArgumentException("invalid " + what + ": (" + x + ", " + y + ") is outside the session's region "
                    + offsetX + ".." + fullX(image.width()) + " x " + offsetY + ".." + fullY(image.height()));
        }
    }

    /** The image's SAM predictor, encoding at first use or reusing a cached embedding of the same pixels. */
    private SamPredictor predictor() {
        if (predictor == null) {
            SamModel sam = owner.sam();
            EmbeddingCache cache = owner.embeddings();
            // Hashing the pixels and copying the embedding out only pay off when there is a cache to use them.
            String key = cache.enabled() ? imageFingerprint() : null;
            float[] cached = key == null ? null : cache.get(key);
            if (cached != null) {
                int s = sam.imageEncoder().embeddingSize();
                Tensor t = Scope.detach(Tensor.of(cached, 1, sam.imageEncoder().outChannels(), s, s));
                predictor = sam.predictor(t, image.width(), image.height());
            } else {
                predictor = sam.predictor(image.pixels(), image.width(), image.height());
                if (key != null) {
                    cache.put(key, predictor.embedding().toFloatArray());
                }
            }
        }
        return predictor;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("session is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (predictor != null) {
            predictor.close();
            predictor = null;
        }
        masks.clear();
        owner.closed(this);
    }
}
