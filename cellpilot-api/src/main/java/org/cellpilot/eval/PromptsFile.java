package org.cellpilot.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cellpilot.torch.checkpoint.Json;

/**
 * A fixed choice of instances and initial prompts, so runs can be compared across implementations:
 * {@code {"NAME": [{"instance": 10, "point": [x, y], "box": [x0, y0, x1, y1]}, …]}}.
 */
final class PromptsFile {
    private PromptsFile() {
    }

    static Map<String, List<Target>> read(Path file) throws IOException {
        Object root = Json.parse(Files.readString(file));
        if (!(root instanceof Map<?, ?> images)) {
            throw new IllegalArgumentException(file + ": expected an object {image name: [targets]}");
        }
        Map<String, List<Target>> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : images.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof List<?> entries)) {
                throw new IllegalArgumentException(file + ": \"" + name + "\" must be a list of {instance, point, box}");
            }
            List<Target> targets = new ArrayList<>();
            for (Object o : entries) {
                if (!(o instanceof Map<?, ?> m) || !(m.get("instance") instanceof Number id)) {
                    throw new IllegalArgumentException(file + ": every entry of \"" + name + "\" needs a numeric \"instance\"");
                }
                targets.add(new Target(id.intValue(), ints(file, name, m.get("point"), 2), ints(file, name, m.get("box"), 4)));
            }
            out.put(name, targets);
        }
        return out;
    }

    private static int[] ints(Path file, String name, Object value, int length) {
        if (value == null) {
            return null;
        }
        int[] v = Json.ints(value);
        if (v.length != length) {
            throw new IllegalArgumentException(file + ": \"" + name + "\" has a " + (length == 2 ? "point" : "box") + " of "
                    + v.length + " values, expected " + length);
        }
        return v;
    }
}
