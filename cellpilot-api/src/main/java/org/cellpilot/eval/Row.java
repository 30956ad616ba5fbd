package org.cellpilot.eval;

import java.util.Locale;

/**
 * One line of results.csv: the mask after {@code clicks} corrective clicks, scored against its instance.
 * {@code click} is the click added at this step (for a point start at k = 0, the initial point), null for a box
 * start at k = 0 or when the clicker had nothing left to click.
 */
record Row(String model, String image, int instance, Start start, int clicks, Click click, double iou, double dice) {
    static final String HEADER = "model,image,instance,start,clicks,x,y,positive,iou,dice";

    String csv() {
        String c = click == null ? ",," : click.x() + "," + click.y() + "," + (click.positive() ? 1 : 0);
        return String.format(Locale.ROOT, "%s,%s,%d,%s,%d,%s,%.6f,%.6f", model, image, instance, start.label(), clicks, c, iou, dice);
    }
}
