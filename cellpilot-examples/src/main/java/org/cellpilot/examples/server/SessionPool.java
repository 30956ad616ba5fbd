package org.cellpilot.examples.server;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.cellpilot.Session;

/**
 * The server's open sessions, at most {@code capacity}, keyed by the client's image hash or by an annotator
 * session id. Opening one more evicts the least recently used, whose native memory is freed at once (after the
 * call it may be running). Two requests for the same key share one entry, and the entry opens its session once,
 * so the same image is never encoded twice at the same moment.
 *
 * @param <A> what the server keeps beside each session (the annotator's image, say)
 */
final class SessionPool<A> implements AutoCloseable {
    /** One key's session, opened at first use by whichever request gets there first. */
    static final class Entry<A> {
        final A attachment;
        private final Supplier<Session> opener;
        private Session session;
        private boolean evicted;

        private Entry(A attachment, Supplier<Session> opener) {
            this.attachment = attachment;
            this.opener = opener;
        }

        synchronized Session session() {
            if (evicted) {
                throw new HttpError(410, "the session was closed to make room for newer ones; open it again");
            }
            if (session == null) {
                session = opener.get();
            }
            return session;
        }

        synchronized boolean evicted() {
            return evicted;
        }

        private void evict() {
            Session s;
            synchronized (this) {
                evicted = true;
                s = session;
                session = null;
            }
            if (s != null) {
                s.close();
            }
        }
    }

    private final int capacity;
    private final Map<String, Entry<A>> entries = new LinkedHashMap<>(16, 0.75f, true);
    private int opened;
    private boolean closed;

    SessionPool(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the session limit must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** The entry for {@code key}, made with {@code attachment} and {@code opener} when there is none. */
    Entry<A> entry(String key, Supplier<A> attachment, Function<A, Supplier<Session>> opener) {
        List<Entry<A>> evicted = new ArrayList<>();
        Entry<A> e;
        synchronized (this) {
            if (closed) {
                throw new HttpError(503, "the server is shutting down");
            }
            e = entries.get(key);
            if (e == null) {
                A a = attachment.get();
                e = new Entry<>(a, opener.apply(a));
                entries.put(key, e);
                opened++;
                for (Iterator<Entry<A>> it = entries.values().iterator(); entries.size() > capacity && it.hasNext(); ) {
                    evicted.add(it.next());
                    it.remove();
                }
            }
        }
        // Closing waits for a call in flight on that session: never while holding the pool.
        evicted.forEach(Entry::evict);
        return e;
    }

    /** The entry for {@code key}, or a 404. */
    synchronized Entry<A> existing(String key) {
        Entry<A> e = entries.get(key);
        if (e == null) {
            throw HttpError.notFound("no open session " + key + " (it may have been closed to make room for newer ones)");
        }
        return e;
    }

    /** Forgets {@code key}'s entry if it is still {@code e} (whose session could not be opened), freeing its slot. */
    void discard(String key, Entry<A> e) {
        synchronized (this) {
            if (entries.get(key) != e) {
                return;
            }
            entries.remove(key);
        }
        e.evict();
    }

    /** How many entries were ever made: the image encodes the server could have started. */
    synchronized int opened() {
        return opened;
    }

    synchronized int size() {
        return entries.size();
    }

    @Override
    public void close() {
        List<Entry<A>> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(entries.values());
            entries.clear();
        }
        all.forEach(Entry::evict);
    }
}
