package dev.fixgate.app.locate;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Scans of repository trees kept in memory, keyed by the git tree id they were read from: a tree id names its
 * content exactly, so an entry is never stale — the next checkout of the same tree reuses the parsed index (which
 * files are IaC, their text and model) instead of fetching and parsing the files again. An optimisation only, and
 * per process: a replica that has not seen the tree (or has evicted it) fetches and scans, and gets the same scan.
 * Bounded by entries and by the text they hold; the least recently used entry goes first.
 */
public final class ScanCache {

    /** The defaults of a service: 256 trees, 64 Mi characters of IaC text (about 128 MiB of heap at most). */
    public static final int DEFAULT_MAX_ENTRIES = 256;
    public static final long DEFAULT_MAX_CHARS = 64L << 20;

    private final int maxEntries;
    private final long maxChars;
    /**
     * A tree's scan, and the state files of that tree ({@link RepoScan#stateFile}: path → blob id), which
     * {@link StateSources} reads from the checkout and so must be written there again.
     */
    public record Entry(RepoScan scan, Map<String, String> stateFiles) {
        public Entry {
            stateFiles = Map.copyOf(stateFiles);
        }
    }

    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long chars;

    public ScanCache(int maxEntries, long maxChars) {
        if (maxEntries < 0 || maxChars < 0) {
            throw new IllegalArgumentException("negative bound");
        }
        this.maxEntries = maxEntries;
        this.maxChars = maxChars;
    }

    public static ScanCache defaults() {
        return new ScanCache(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_CHARS);
    }

    /** The entry of {@code treeId}, its scan re-rooted at {@code root} (where this checkout's state files go). */
    public synchronized Optional<Entry> get(String treeId, Path root) {
        return Optional.ofNullable(entries.get(treeId)).map(e -> new Entry(e.scan().rooted(root), e.stateFiles()));
    }

    /** Keeps {@code entry} of {@code treeId}, unless it alone is over the bound; evicts what no longer fits. */
    public synchronized void put(String treeId, Entry entry) {
        long size = entry.scan().textChars();
        if (size > maxChars || maxEntries == 0) {
            return;
        }
        Entry old = entries.put(treeId, entry);
        if (old != null) {
            chars -= old.scan().textChars();
        }
        chars += size;
        Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
        while ((chars > maxChars || entries.size() > maxEntries) && it.hasNext()) {
            Map.Entry<String, Entry> eldest = it.next();
            if (eldest.getKey().equals(treeId)) {
                continue;
            }
            chars -= eldest.getValue().scan().textChars();
            it.remove();
        }
    }

    public synchronized int size() {
        return entries.size();
    }

    /** The characters of text held (for the bound and for tests). */
    public synchronized long chars() {
        return chars;
    }
}
