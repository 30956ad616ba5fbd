package org.cellpilot;

/** PanNuke nucleus types, as CellViT predicts them, with the colours used in exports and overlays. */
public enum CellType {
    NEOPLASTIC("Neoplastic", 0xff0000),
    INFLAMMATORY("Inflammatory", 0x22dd4d),
    CONNECTIVE("Connective", 0x2367d8),
    DEAD("Dead", 0xfff200),
    EPITHELIAL("Epithelial", 0xff9f40);

    private final String displayName;
    private final int rgb;

    CellType(String displayName, int rgb) {
        this.displayName = displayName;
        this.rgb = rgb;
    }

    public String displayName() {
        return displayName;
    }

    /** 0xRRGGBB. */
    public int rgb() {
        return rgb;
    }

    /** CellViT's type index (1-based; 0 is background) → type. */
    public static CellType fromCellVitIndex(int index) {
        if (index < 1 || index > values().length) {
            throw new IllegalArgumentException("cell type index " + index + " is not a PanNuke type (1.." + values().length + ")");
        }
        return values()[index - 1];
    }
}
