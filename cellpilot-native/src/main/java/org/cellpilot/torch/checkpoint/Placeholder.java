package org.cellpilot.torch.checkpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pickle made of a class or function the reader does not know ({@code lightning...AttributeDict},
 * numpy scalars, or anything hostile such as {@code os.system}): inert data that records the name and what the
 * pickle gave it. A name is never resolved to behaviour, so loading a checkpoint cannot run code.
 *
 * <p>A dict subclass filled by the pickle keeps its entries in {@link #items()}, a list subclass in
 * {@link #elements()}. Nested values are shared with the state dict: treat them as read-only.
 */
public final class Placeholder {
    private final String name;
    private final List<Object> args;
    private final Map<Object, Object> items = new LinkedHashMap<>();
    private final List<Object> elements = new ArrayList<>();
    private Object state;

    private Placeholder(String name, List<Object> args) {
        this.name = name;
        this.args = args;
    }

    /** The global itself, as {@code GLOBAL module name} pushes it. */
    static Placeholder global(String module, String name) {
        return new Placeholder(module + "." + name, null);
    }

    /** What calling (REDUCE) or instantiating (NEWOBJ) this placeholder with {@code args} makes. */
    Placeholder call(List<Object> args) {
        return new Placeholder(name, args);
    }

    void setState(Object state) {
        this.state = state;
    }

    Map<Object, Object> mutableItems() {
        return items;
    }

    List<Object> mutableElements() {
        return elements;
    }

    /** The dotted name of the class or function, e.g. {@code lightning.fabric.utilities.data.AttributeDict}. */
    public String name() {
        return name;
    }

    /** Whether this is an object made by calling the name, rather than the bare class or function. */
    public boolean isCall() {
        return args != null;
    }

    /** The arguments of the call, or an empty list for the bare name. */
    public List<Object> args() {
        return args == null ? List.of() : Collections.unmodifiableList(args);
    }

    /** What BUILD gave the object (Python's {@code __setstate__} argument), or null. */
    public Object state() {
        return state;
    }

    public Map<Object, Object> items() {
        return Collections.unmodifiableMap(items);
    }

    public List<Object> elements() {
        return Collections.unmodifiableList(elements);
    }

    /** Shallow on purpose: the contents may be deep or cyclic. */
    @Override
    public String toString() {
        return "Placeholder(" + name + (args == null ? "" : ", called with " + args.size() + " args")
                + (items.isEmpty() ? "" : ", " + items.size() + " items")
                + (elements.isEmpty() ? "" : ", " + elements.size() + " elements") + ")";
    }
}
