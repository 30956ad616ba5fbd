package org.cellpilot;

import java.awt.Rectangle;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.cellpilot.detect.NucleusDetector;
import org.cellpilot.sam.SamModel;
import org.cellpilot.torch.Device;
import org.cellpilot.torch.Torch;
import org.cellpilot.torch.checkpoint.StateDict;

/**
 * The entry point: loaded models, shared by every {@link Session}.
 *
 * <p><b>Threads.</b> A {@code CellPilot} is thread-safe: its weights are read-only after loading, and any number
 * of threads may open and use sessions at once. Each inference call runs ATen's intra-op parallelism with
 * {@link Builder#threads} threads (default: the number of cores); set it to 1 when many sessions run in
 * parallel. A {@link Session} serialises its own calls. {@link #close()} closes every session still open,
 * waiting for calls in flight, and frees all native memory.
 *
 * <pre>{@code
 * try (CellPilot cp = CellPilot.builder().sam(samCkpt).build();
 *      Session s = cp.open(RgbImage.read(png))) {
 *     List<Mask> cells = s.segmentAutomatically();
 *     Mask gland = s.add(Prompt.box(10, 10, 200, 160));
 *     gland = s.refine(gland.id(), Prompt.negative(120, 90));
 * }
 * }</pre>
 */
public final class CellPilot implements AutoCloseable {
    private final SamModel sam;
    private final NucleusDetector detector;
    private final Device device;
    private final EmbeddingCache embeddings;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private CellPilot(SamModel sam, NucleusDetector detector, Device device, int cacheEntries) {
        this.sam = sam;
        this.detector = detector;
        this.device = device;
        this.embeddings = new EmbeddingCache(cacheEntries);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Opens a session on the whole image. Its embedding is computed at first use, then cached. */
    public Session open(RgbImage image) {
        return open(image, new Rectangle(0, 0, image.width(), image.height()));
    }

    /**
     * Opens a session on {@code region} of the image (a viewer's field of view): only the region is encoded;
     * prompts and masks stay in full-image coordinates.
     */
    public Session open(RgbImage image, Rectangle region) {
        requireOpen();
        Session s = new Session(this, image, region);
        sessions.add(s);
        return s;
    }

    /**
     * Segments every cell of a slide (or of {@link SlideOptions#region}) as a stream of tiles, in memory that does not
     * grow with the slide, handing each tile's cells to {@code sink} in level-0 pixels as the tile finishes.
     *
     * <p>Tiles are read at the resolution the detector expects (CellViT: 0.25 µm/px; the built-in detector: level 0)
     * from the nearest pyramid level, and tiles without tissue are skipped. Seams follow the ownership rule of
     * {@link org.cellpilot.slide.TilePlan}: each cell comes once, whole, from the tile whose core holds its centroid,
     * whatever order tiles finish in. A tile that cannot be read or segmented is reported to the sink and in the
     * summary, and the others go on; an exception from the sink stops the run and is thrown.
     */
    public SlideSummary segmentSlide(Slide slide, SlideOptions options, SlideSink sink) throws java.io.IOException {
        requireOpen();
        return SlideRun.run(this, slide, options, sink);
    }

    /**
     * The tiles that {@link #segmentSlide} would segment with these options (those with tissue unless
     * {@link SlideOptions#tissueOnly} is off), in plan order, for spreading a slide's tiles over machines.
     */
    public java.util.List<SlideTile> planSlide(Slide slide, SlideOptions options) {
        requireOpen();
        return SlideRun.plan(this, slide, options);
    }

    /**
     * One tile of {@link #planSlide}'s plan (same slide, same options), segmented on the calling thread: the cells it
     * owns by the ownership rule, in level-0 pixels, with the ids {@link #segmentSlide} gives them. Throws
     * {@link java.io.UncheckedIOException} when the tile cannot be read.
     */
    public java.util.List<Mask> segmentSlideTile(Slide slide, SlideOptions options, SlideTile tile) {
        requireOpen();
        return SlideRun.segmentTile(this, slide, options, tile);
    }

    /**
     * Opens a session on the level-0 rectangle {@code region} of a slide, read at {@code level} (a viewer's field of
     * view at its zoom): only those pixels are read and encoded, and prompts and masks are in level-0 pixels, masks
     * scaled up by the level's downsample. For images too large for one session, see {@link #segmentSlide}.
     */
    public Session open(Slide slide, Rectangle region, int level) {
        requireOpen();
        double ds = slide.levelDownsample(level);
        int w = (int) Math.floor(region.width / ds);
        int h = (int) Math.floor(region.height / ds);
        RgbImage pixels = slide.readRegion(level, region.x, region.y, w, h);
        Session s = new Session(this, pixels, region.x, region.y, ds);
        sessions.add(s);
        return s;
    }

    /** Opens a session whose embedding comes from a file written by {@link Session#saveEmbedding}. */
    public Session open(RgbImage image, Rectangle region, Path embedding) {
        Session s = open(image, region);
        try {
            s.useEmbedding(embedding);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    public boolean hasSam() {
        return sam != null;
    }

    public Device device() {
        return device;
    }

    SamModel sam() {
        requireOpen();
        return sam;
    }

    NucleusDetector detector() {
        requireOpen();
        return detector;
    }

    EmbeddingCache embeddings() {
        return embeddings;
    }

    void closed(Session s) {
        sessions.remove(s);
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("CellPilot is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Session s : sessions.toArray(new Session[0])) {
            s.close();
        }
        if (sam != null) {
            sam.close();
        }
        detector.close();
    }

    /** Configures and loads a {@link CellPilot}. Without a SAM checkpoint, automatic masks come from the detector. */
    public static final class Builder {
        private Path samPath;
        private Path cellvitPath;
        private Device device = Device.cpu();
        private int threads;
        private int decoderHeads = SamModel.DEFAULT_DECODER_HEADS;
        private int cacheEntries = 4;
        private SamModel.EncoderPrecision precision = SamModel.EncoderPrecision.FLOAT32;
        private NucleusDetector detector;

        private Builder() {
        }

        /** A SAM checkpoint: Meta's .pth, CellPilot's Lightning .ckpt, or a Hugging Face SamModel safetensors file. */
        public Builder sam(Path checkpoint) {
            this.samPath = checkpoint;
            return this;
        }

        /** A CellViT checkpoint for automatic nucleus detection; without one the built-in detector runs. */
        public Builder cellvit(Path checkpoint) {
            this.cellvitPath = checkpoint;
            return this;
        }

        /** A custom nucleus detector, instead of CellViT or the built-in one. */
        public Builder detector(NucleusDetector custom) {
            this.detector = custom;
            return this;
        }

        /**
         * Where SAM and CellViT's network run: {@code Device.cpu()} or {@code Device.cuda(n)} with a CUDA libtorch (see
         * CELLPILOT_LIBTORCH). A device the loaded libtorch cannot use is an error at {@link #build()}. CellViT's
         * post-processing, the built-in detector and custom detectors run on the CPU.
         */
        public Builder device(Device d) {
            this.device = d;
            return this;
        }

        /** Intra-op threads for ATen and OpenBLAS; 0 keeps libtorch's default (the core count). */
        public Builder threads(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("threads must be >= 0, got " + n);
            }
            this.threads = n;
            return this;
        }

        /** The SAM mask decoder's head count, which checkpoints do not record (SAM: 8). */
        public Builder decoderHeads(int heads) {
            this.decoderHeads = heads;
            return this;
        }

        /** How many image embeddings to keep in memory for reuse by sessions on the same image (0 disables it). */
        public Builder embeddingCache(int entries) {
            if (entries < 0) {
                throw new IllegalArgumentException("embedding cache entries must be >= 0, got " + entries);
            }
            this.cacheEntries = entries;
            return this;
        }

        /**
         * Runs the image encoder's linear layers in bfloat16 (attention stays float32): about 1.6× faster on CPUs
         * with AVX-512 BF16 or AMX, with embeddings within a few percent of float32 (see the README).
         */
        public Builder bf16Encoder(boolean enabled) {
            this.precision = enabled ? SamModel.EncoderPrecision.BFLOAT16 : SamModel.EncoderPrecision.FLOAT32;
            return this;
        }

        public CellPilot build() {
            Torch torch = Torch.get();
            torch.requireDevice(device);
            if (threads > 0) {
                torch.setThreads(threads);
            }
            NucleusDetector d = detector != null ? detector : Detectors.load(cellvitPath, device);
            SamModel model = null;
            try {
                model = samPath == null ? null : SamModel.load(StateDict.load(samPath), decoderHeads, precision, device);
            } catch (RuntimeException e) {
                d.close();
                throw e;
            }
            return new CellPilot(model, d, device, cacheEntries);
        }
    }
}
