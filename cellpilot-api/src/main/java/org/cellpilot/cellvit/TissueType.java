package org.cellpilot.cellvit;

/** The 19 PanNuke tissues of CellViT's tissue head, in output order. */
public enum TissueType {
    ADRENAL_GLAND("Adrenal_gland"),
    BILE_DUCT("Bile-duct"),
    BLADDER("Bladder"),
    BREAST("Breast"),
    CERVIX("Cervix"),
    COLON("Colon"),
    ESOPHAGUS("Esophagus"),
    HEAD_NECK("HeadNeck"),
    KIDNEY("Kidney"),
    LIVER("Liver"),
    LUNG("Lung"),
    OVARIAN("Ovarian"),
    PANCREATIC("Pancreatic"),
    PROSTATE("Prostate"),
    SKIN("Skin"),
    STOMACH("Stomach"),
    TESTIS("Testis"),
    THYROID("Thyroid"),
    UTERUS("Uterus");

    private final String pannukeName;

    TissueType(String pannukeName) {
        this.pannukeName = pannukeName;
    }

    /** The name PanNuke and CellViT's outputs use. */
    public String pannukeName() {
        return pannukeName;
    }

    /** The tissue of output {@code index} of the tissue head. */
    public static TissueType fromIndex(int index) {
        TissueType[] all = values();
        if (index < 0 || index >= all.length) {
            throw new IllegalArgumentException("tissue index " + index + " is not a PanNuke tissue (0.." + (all.length - 1) + ")");
        }
        return all[index];
    }
}
