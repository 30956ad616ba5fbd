package org.cellpilot.cellvit;

/** The nucleus classes of CellViT's PanNuke models, in output-channel order. */
public enum PanNukeType {
    BACKGROUND, NEOPLASTIC, INFLAMMATORY, CONNECTIVE, DEAD, EPITHELIAL;

    public static PanNukeType of(int id) {
        PanNukeType[] all = values();
        if (id < 0 || id >= all.length) {
            throw new IllegalArgumentException("no PanNuke nucleus type " + id);
        }
        return all[id];
    }
}
