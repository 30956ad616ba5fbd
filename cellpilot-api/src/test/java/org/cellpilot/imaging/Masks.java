package org.cellpilot.imaging;

/** Test helpers: masks drawn as text rows ('1' or '#' set, anything else clear). */
final class Masks {
    private Masks() {}

    static boolean[] parse(String... rows) {
        boolean[] mask = new boolean[rows.length * rows[0].length()];
        for (int y = 0; y < rows.length; y++) {
            for (int x = 0; x < rows[y].length(); x++) {
                char c = rows[y].charAt(x);
                mask[y * rows[0].length() + x] = c == '1' || c == '#';
            }
        }
        return mask;
    }

    static String[] format(boolean[] mask, int width) {
        String[] rows = new String[mask.length / width];
        for (int y = 0; y < rows.length; y++) {
            StringBuilder row = new StringBuilder();
            for (int x = 0; x < width; x++) {
                row.append(mask[y * width + x] ? '1' : '0');
            }
            rows[y] = row.toString();
        }
        return rows;
    }
}
