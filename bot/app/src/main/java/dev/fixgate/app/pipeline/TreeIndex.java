package dev.fixgate.app.pipeline;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * The files of a git tree that a predicate wants, remembered per tree id: a tree id names its content, so the
 * files under an unchanged subtree are the same at every commit that has it, and after a push only the changed
 * trees (the ones on the changed paths) are read again — not every entry of the repository.
 *
 * <p>The predicate must be closed under suffixes: if it accepts {@code a/b/c.tf} it accepts {@code b/c.tf} and
 * {@code c.tf} ({@code RepoScan#reads} is: directories it skips are skipped wherever they are, and the rest is
 * decided by the file's name). A subtree's remembered files are those its own relative paths pass; each parent
 * tests them again with its longer path. Only regular files, and never a name {@code .git} (in any case), {@code .}
 * or {@code ..}, or with a backslash. Walked with an explicit stack (no recursion: a hostile tree can be deep),
 * down to {@link #MAX_DEPTH} levels as git's {@code core.maxTreeDepth}; deeper subtrees are not read. Bounded: at most
 * {@code maxTrees} trees and {@code maxFiles} remembered paths, least recently used first.
 */
final class TreeIndex {

    /** Git's own default limit of tree depth ({@code core.maxTreeDepth}). */
    static final int MAX_DEPTH = 4096;

    /** A wanted file under a tree: its path relative to that tree, and its blob id. */
    record Leaf(String path, ObjectId blob) {
    }

    private final int maxTrees;
    private final long maxFiles;
    private final LinkedHashMap<ObjectId, List<Leaf>> trees = new LinkedHashMap<>(256, 0.75f, true);
    private long files;

    TreeIndex(int maxTrees, long maxFiles) {
        if (maxTrees < 0 || maxFiles < 0) {
            throw new IllegalArgumentException("negative bound");
        }
        this.maxTrees = maxTrees;
        this.maxFiles = maxFiles;
    }

    /** A service's bounds: 65,536 trees and 262,144 remembered paths (a few tens of MiB at most). */
    static TreeIndex defaults() {
        return new TreeIndex(65_536, 262_144);
    }

    /** Every wanted regular file of {@code tree}, path → blob id, read through {@code reader} where not known. */
    Map<String, ObjectId> files(ObjectReader reader, ObjectId tree, Predicate<String> wanted) throws IOException {
        Map<String, ObjectId> out = new LinkedHashMap<>();
        for (Leaf leaf : leaves(reader, tree, wanted)) {
            out.put(leaf.path(), leaf.blob());
        }
        return out;
    }

    private static final class Frame {
        final ObjectId tree;
        final String name;
        final CanonicalTreeParser entries;
        final List<Leaf> found = new ArrayList<>();

        Frame(ObjectId tree, String name, ObjectReader reader) throws IOException {
            this.tree = tree;
            this.name = name;
            this.entries = new CanonicalTreeParser(null, reader, tree);
        }
    }

    private List<Leaf> leaves(ObjectReader reader, ObjectId root, Predicate<String> wanted) throws IOException {
        List<Leaf> known = get(root);
        if (known != null) {
            return known;
        }
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(root.copy(), "", reader));
        while (true) {
            Frame top = stack.peek();
            if (top.entries.eof()) {
                stack.pop();
                List<Leaf> done = List.copyOf(top.found);
                put(top.tree, done);
                if (stack.isEmpty()) {
                    return done;
                }
                under(stack.peek(), top.name, done, wanted);
                continue;
            }
            String name = top.entries.getEntryPathString();
            FileMode mode = top.entries.getEntryFileMode();
            ObjectId id = top.entries.getEntryObjectId();
            top.entries.next(1);
            if (!safe(name)) {
                continue;
            }
            if (mode == FileMode.TREE) {
                List<Leaf> sub = get(id);
                if (sub != null) {
                    under(top, name, sub, wanted);
                } else if (stack.size() < MAX_DEPTH) {
                    stack.push(new Frame(id, name, reader));
                }
            } else if ((mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) && wanted.test(name)) {
                top.found.add(new Leaf(name, id));
            }
        }
    }

    /** The files of the subtree {@code name} of {@code parent}, as the parent's (each tested with its longer path). */
    private static void under(Frame parent, String name, List<Leaf> sub, Predicate<String> wanted) {
        for (Leaf leaf : sub) {
            String path = name + "/" + leaf.path();
            if (wanted.test(path)) {
                parent.found.add(new Leaf(path, leaf.blob()));
            }
        }
    }

    /** A name that may be written: never {@code .git} (in any case), {@code .} or {@code ..}, no backslash. */
    static boolean safe(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..")
                && !name.toLowerCase(Locale.ROOT).equals(Constants.DOT_GIT) && name.indexOf('\\') < 0;
    }

    private synchronized List<Leaf> get(ObjectId tree) {
        return trees.get(tree);
    }

    private synchronized void put(ObjectId tree, List<Leaf> leaves) {
        if (maxTrees == 0 || leaves.size() > maxFiles / 4) {
            return;
        }
        List<Leaf> old = trees.put(tree, leaves);
        files += leaves.size() - (old == null ? 0 : old.size());
        Iterator<Map.Entry<ObjectId, List<Leaf>>> it = trees.entrySet().iterator();
        while ((trees.size() > maxTrees || files > maxFiles) && it.hasNext()) {
            Map.Entry<ObjectId, List<Leaf>> eldest = it.next();
            if (eldest.getKey().equals(tree)) {
                continue;
            }
            files -= eldest.getValue().size();
            it.remove();
        }
    }

    synchronized int size() {
        return trees.size();
    }
}
