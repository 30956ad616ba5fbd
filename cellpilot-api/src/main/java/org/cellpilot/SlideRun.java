package org.cellpilot;

import java.awt.Rectangle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.cellpilot.cellvit.CellVitDetector;
import org.cellpilot.slide.TilePlan;
import org.cellpilot.slide.TissueMask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole slide segmented as a stream: a reader thread decodes the next tiles into a bounded queue while workers
 * segment the ones before, and each tile's owned cells go to the sink as soon as it finishes.
 *
 * <p><b>Memory bound.</b> Nothing here grows with the slide: the queue holds at most {@code workers} decoded tiles
 * (3 MB each at 1024²), each worker one tile's model state (about 140 MB for the built-in detector, the SAM encoder's
 * for SAM), the TIFF reader 64 MB of decoded file tiles, and the tissue mask a 1024-pixel thumbnail. Cells leave
 * with their tile.
 */
final class SlideRun {
    private static final Logger LOG = LoggerFactory.getLogger(SlideRun.class);
    /** Mask ids are {@code tile index × this + the cell's number in the tile}: stable whatever order tiles finish in. */
    private static final long IDS_PER_TILE = 1_000_000L;

    private final CellPilot cp;
    private final Slide slide;
    private final SlideOptions options;
    private final SlideSink sink;
    private final SlideFrame frame;
    private final TilePlan plan;
    private final Object sinkLock = new Object();
    private final List<String> failures = new ArrayList<>();
    private volatile Throwable fatal;
    /** Time workers spent waiting for a decoded tile: near zero (after the first tile) when decoding hides behind the model. */
    private final java.util.concurrent.atomic.AtomicLong waitedNanos = new java.util.concurrent.atomic.AtomicLong();
    private int done;
    private long cells;
    private long startNanos;

    /** A decoded tile on its way to a worker, or the reason it could not be read; {@code tile == null} ends the stream. */
    private record Job(TilePlan.Tile tile, RgbImage pixels, Exception failure) {
    }

    private SlideRun(CellPilot cp, Slide slide, SlideOptions options, SlideSink sink) {
        this.cp = cp;
        this.slide = slide;
        this.options = options;
        this.sink = sink;
        this.frame = SlideFrame.of(slide, options.micronsPerPixel(), cp.detector().micronsPerPixel());
        Rectangle region = options.region() == null ? new Rectangle(0, 0, (int) slide.width(), (int) slide.height()) : options.region();
        if (region.isEmpty() || region.x < 0 || region.y < 0 || region.x + (long) region.width > slide.width()
                || region.y + (long) region.height > slide.height()) {
            throw new IllegalArgumentException("region " + region.x + "," + region.y + " " + region.width + "x" + region.height
                    + " is empty or not inside " + slide.name() + " (" + slide.width() + "x" + slide.height() + ")");
        }
        Rectangle area = frame.toModel(region);
        if (area.isEmpty()) {
            throw new IllegalArgumentException("region " + region + " is smaller than one pixel of the detector's grid");
        }
        this.plan = TilePlan.cover(area, options.tile(), options.overlap());
    }

    static SlideSummary run(CellPilot cp, Slide slide, SlideOptions options, SlideSink sink) throws IOException {
        return new SlideRun(cp, slide, options, sink).run();
    }

    /** The tiles a run would segment (with tissue, unless the options say otherwise), in plan order. */
    static List<SlideTile> plan(CellPilot cp, Slide slide, SlideOptions options) {
        SlideRun r = new SlideRun(cp, slide, options, null);
        TissueMask tissue = options.tissueOnly() ? r.tissueMask() : null;
        List<SlideTile> out = new ArrayList<>();
        for (TilePlan.Tile t : r.plan.tiles()) {
            if (r.hasTissue(t, tissue)) {
                out.add(r.slideTile(t));
            }
        }
        return out;
    }

    /** One tile of {@link #plan}, segmented on the calling thread: its owned cells, as a run delivers them. */
    static List<Mask> segmentTile(CellPilot cp, Slide slide, SlideOptions options, SlideTile tile) {
        SlideRun r = new SlideRun(cp, slide, options, null);
        TilePlan.Tile t = r.plan.tile(tile.index());
        return r.segment(t, r.frame.read(t.bounds()));
    }

    private boolean hasTissue(TilePlan.Tile t, TissueMask tissue) {
        Rectangle l0 = frame.toLevel0(t.bounds());
        return tissue == null || tissue.intersects(l0.x, l0.y, l0.width, l0.height);
    }

    private SlideSummary run() throws IOException {
        List<TilePlan.Tile> todo = new ArrayList<>();
        int tissueTiles = 0;
        int resumed = 0;
        TissueMask tissue = options.tissueOnly() ? tissueMask() : null;
        for (TilePlan.Tile t : plan.tiles()) {
            if (!hasTissue(t, tissue)) {
                continue;
            }
            tissueTiles++;
            if (sink.alreadyDone(slideTile(t))) {
                resumed++;
            } else {
                todo.add(t);
            }
        }
        Rectangle region = frame.toLevel0(plan.area());
        double tissueFraction = tissue == null ? 1 : tissue.fraction(region.x, region.y, region.width, region.height);
        LOG.info("{}: {} tiles, {} with tissue ({} % tissue), {} done before, {} to segment", slide.name(), plan.size(), tissueTiles,
                Math.round(tissueFraction * 100), resumed, todo.size());
        int workers = workers();
        BlockingQueue<Job> queue = new ArrayBlockingQueue<>(workers);
        startNanos = System.nanoTime();
        options.progress().accept(new SlideProgress(0, todo.size(), 0, 0));
        Thread reader = new Thread(() -> read(todo, queue, workers), "cellpilot-slide-reader");
        reader.setDaemon(true);
        List<Thread> threads = new ArrayList<>();
        threads.add(reader);
        for (int i = 0; i < workers; i++) {
            Thread w = new Thread(() -> work(queue, todo.size()), "cellpilot-slide-worker-" + i);
            w.setDaemon(true);
            threads.add(w);
        }
        threads.forEach(Thread::start);
        try {
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            fatal = e;
            threads.forEach(Thread::interrupt);
            Thread.currentThread().interrupt();
        }
        rethrow(fatal);
        LOG.info("{}: {} tiles segmented in {} ms; the {} worker(s) waited {} ms in all for decoded tiles", slide.name(), done,
                (System.nanoTime() - startNanos) / 1_000_000, workers, waitedNanos.get() / 1_000_000);
        return new SlideSummary(plan.size(), tissueTiles, done, resumed, cells, tissueFraction, failures);
    }

    /** The slide's tissue mask, or null (every tile is segmented) when the low-resolution image cannot be read. */
    private TissueMask tissueMask() {
        try {
            return slide.tissueMask();
        } catch (UncheckedIOException e) {
            LOG.warn("no tissue mask, every tile will be segmented: {}", e.getMessage());
            return null;
        }
    }

    private int workers() {
        if (options.workers() > 0) {
            return options.workers();
        }
        boolean nativeModel = cp.hasSam() || cp.detector() instanceof CellVitDetector;
        return nativeModel ? 1 : Runtime.getRuntime().availableProcessors();
    }

    /** The reader thread: decodes tiles in plan order, at most {@code workers} ahead of the workers, then ends the stream. */
    private void read(List<TilePlan.Tile> todo, BlockingQueue<Job> queue, int workers) {
        try {
            for (TilePlan.Tile t : todo) {
                if (fatal != null) {
                    break;
                }
                Job job;
                try {
                    job = new Job(t, frame.read(t.bounds()), null);
                } catch (UncheckedIOException | IllegalArgumentException e) {
                    job = new Job(t, null, e);
                } catch (Throwable e) {
                    stop(e);
                    break;
                }
                queue.put(job);
            }
            for (int i = 0; i < workers; i++) {
                queue.put(new Job(null, null, null));
            }
        } catch (InterruptedException e) {
            stop(e);
        }
    }

    /** A worker: segments tiles until the end of the stream; after a fatal error it only drains, so the reader can finish. */
    private void work(BlockingQueue<Job> queue, int total) {
        try {
            for (Job job = take(queue); job.tile() != null; job = take(queue)) {
                if (fatal == null) {
                    try {
                        process(job, total);
                    } catch (Throwable e) {
                        stop(e);
                    }
                }
            }
        } catch (InterruptedException e) {
            stop(e);
        }
    }

    private Job take(BlockingQueue<Job> queue) throws InterruptedException {
        long t0 = System.nanoTime();
        Job job = queue.take();
        waitedNanos.addAndGet(System.nanoTime() - t0);
        return job;
    }

    private void process(Job job, int total) throws IOException {
        if (job.failure() != null) {
            deliverFailure(job.tile(), job.failure(), total);
            return;
        }
        List<Mask> owned;
        try {
            owned = segment(job.tile(), job.pixels());
        } catch (RuntimeException e) {
            deliverFailure(job.tile(), e, total);
            return;
        }
        deliver(job.tile(), owned, total);
    }

    /** The first fatal error (the sink failed, memory ran out) stops the run: no more tiles are read or delivered. */
    private void stop(Throwable e) {
        synchronized (sinkLock) {
            if (fatal == null) {
                fatal = e;
            }
        }
    }

    /** The cells that a tile owns, with level-0 pixels and ids. */
    private List<Mask> segment(TilePlan.Tile tile, RgbImage pixels) {
        Rectangle b = tile.bounds();
        List<Mask> owned = new ArrayList<>();
        try (Session s = cp.open(pixels)) {
            long id = tile.index() * IDS_PER_TILE;
            for (Mask m : s.segmentAutomatically()) {
                MaskRaster inPlan = m.raster().translate(b.x, b.y);
                double[] c = inPlan.centroid();
                if (tile.owns(c[0], c[1])) {
                    owned.add(new Mask(++id, frame.toLevel0(inPlan), m.predictedIou(), m.type().orElse(null), m.typeProbability(),
                            Mask.Source.AUTOMATIC, List.of()));
                }
            }
        }
        return owned;
    }

    private void deliver(TilePlan.Tile tile, List<Mask> owned, int total) throws IOException {
        synchronized (sinkLock) {
            if (fatal != null) {
                return;
            }
            sink.accept(slideTile(tile), owned);
            done++;
            cells += owned.size();
            options.progress().accept(new SlideProgress(done + failures.size(), total, cells, (System.nanoTime() - startNanos) / 1_000_000));
        }
    }

    private void deliverFailure(TilePlan.Tile tile, Exception reason, int total) throws IOException {
        synchronized (sinkLock) {
            if (fatal != null) {
                return;
            }
            SlideTile st = slideTile(tile);
            LOG.warn("{} failed: {}", st, reason.getMessage());
            failures.add(st + ": " + reason.getMessage());
            sink.failed(st, reason);
            options.progress().accept(new SlideProgress(done + failures.size(), total, cells, (System.nanoTime() - startNanos) / 1_000_000));
        }
    }

    private SlideTile slideTile(TilePlan.Tile t) {
        return new SlideTile(t.index(), t.column(), t.row(), frame.toLevel0(t.bounds()));
    }

    private static void rethrow(Throwable t) throws IOException {
        if (t == null) {
            return;
        }
        if (t instanceof IOException) {
            throw (IOException) t;
        }
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        }
        if (t instanceof Error) {
            throw (Error) t;
        }
        throw new IOException("slide run interrupted", t);
    }
}
