package org.cellpilot.spark;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.util.CollectionAccumulator;

/**
 * The cells of a task's tiles, segmented one tile at a time as the writer asks for them, so that a task holds one
 * tile's cells at most. Each tile's outcome goes to an accumulator, which Spark counts once per successful task:
 * the outcomes of a failed attempt are dropped along with its files.
 */
final class TileRun implements Iterator<CellRecord> {
    private final Iterator<Tile> tiles;
    private final TileSegmenter segmenter;
    private final CollectionAccumulator<TileOutcome> outcomes;
    private Iterator<CellRecord> current = Collections.emptyIterator();

    TileRun(Iterator<Tile> tiles, TileSegmenter segmenter, CollectionAccumulator<TileOutcome> outcomes) {
        this.tiles = tiles;
        this.segmenter = segmenter;
        this.outcomes = outcomes;
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext() && tiles.hasNext()) {
            current = segment(tiles.next()).iterator();
        }
        return current.hasNext();
    }

    @Override
    public CellRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return current.next();
    }

    private List<CellRecord> segment(Tile tile) {
        long t0 = System.nanoTime();
        try {
            List<CellRecord> cells = segmenter.segment(tile);
            outcomes.add(new TileOutcome(tile.image(), tile.index(), cells.size(), (System.nanoTime() - t0) / 1e9, null));
            return cells;
        } catch (UnreadableInputException e) {
            outcomes.add(new TileOutcome(tile.image(), tile.index(), 0, (System.nanoTime() - t0) / 1e9,
                    tile + ": " + Faults.describe(e)));
            return List.of();
        }
    }
}
