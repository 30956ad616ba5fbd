package org.cellpilot.torch;

import java.util.ArrayList;
import java.util.List;

/**
 * Frees every tensor made on this thread while it is open, except those {@linkplain #keep kept}. Scopes nest:
 * a kept tensor moves to the enclosing scope, or to the caller when there is none.
 *
 * <pre>{@code
 * try (Scope scope = Scope.open()) {
 *     Tensor h = Ops.gelu(Ops.linear(x, w1, b1));   // intermediates
 *     return scope.keep(Ops.linear(h, w2, b2));     // survives the scope
 * }
 * }</pre>
 */
public final class Scope implements AutoCloseable {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private final Scope parent;
    private final Thread thread;
    private final List<Tensor> owned = new ArrayList<>();
    private boolean closed;

    private Scope(Scope parent) {
        this.parent = parent;
        this.thread = Thread.currentThread();
    }

    public static Scope open() {
        Scope s = new Scope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    static void adopt(Tensor t) {
        Scope s = CURRENT.get();
        if (s != null) {
            t.owner = s;
            s.owned.add(t);
        }
    }

    /** Moves {@code t} out of this scope: to the enclosing one, or to the caller, who must then close it. */
    public Tensor keep(Tensor t) {
        if (t.owner != this) {
            throw new IllegalArgumentException("tensor " + t + " does not belong to this scope");
        }
        t.owner = parent;
        if (parent != null) {
            parent.owned.add(t);
        }
        return t;
    }

    /** Detaches {@code t} from every scope: the caller owns it, whatever scopes are open. */
    public static Tensor detach(Tensor t) {
        t.owner = null;
        return t;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("a scope must be closed on the thread that opened it");
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("scopes must be closed innermost first");
        }
        closed = true;
        CURRENT.set(parent);
        RuntimeException failure = null;
        for (int i = owned.size() - 1; i >= 0; i--) {
            Tensor t = owned.get(i);
            if (t.owner == this) {
                try {
                    t.close();
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
        }
        owned.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
