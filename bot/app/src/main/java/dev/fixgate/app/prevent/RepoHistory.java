package dev.fixgate.app.prevent;

import dev.fixgate.spi.error.FixgateException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * What {@code fixgate check} reads from a checkout's git history (read only): the controls fixgate has fixed there —
 * its merged pull requests carry {@code Fixgate-Control:} trailers — and the files a pull request changes.
 */
public final class RepoHistory {

    private static final Pattern CONTROL = Pattern.compile("(?m)^Fixgate-Control:\\s*(\\S+)\\s*$");
    private static final Pattern REVERTS = Pattern.compile("(?m)^Fixgate-Reverts:");

    private RepoHistory() {
    }

    /**
     * The controls fixgate fixed in the history of {@code ref}: each control's newest fixgate commit decides — a fix
     * counts, a revert of one ({@code Fixgate-Reverts:}) takes the control off again.
     *
     * @throws FixgateException {@code check.git} when {@code dir} is no git checkout or {@code ref} does not exist
     */
    public static Set<String> fixedControls(Path dir, String ref) {
        try (Repository repo = open(dir); RevWalk walk = new RevWalk(repo)) {
            walk.sort(RevSort.COMMIT_TIME_DESC);
            walk.markStart(walk.parseCommit(resolve(repo, ref)));
            Set<String> seen = new LinkedHashSet<>();
            Set<String> fixed = new TreeSet<>();
            for (RevCommit c : walk) {
                String message = c.getFullMessage();
                Matcher m = CONTROL.matcher(message);
                boolean revert = REVERTS.matcher(message).find();
                while (m.find()) {
                    if (seen.add(m.group(1)) && !revert) {
                        fixed.add(m.group(1));
                    }
                }
            }
            return fixed;
        } catch (IOException e) {
            throw new FixgateException("check.git", dir + ": cannot read the history of " + ref + ": " + e.getMessage());
        }
    }

    /**
     * The files {@code HEAD} changes against its merge base with {@code ref} (what a pull request onto {@code ref}
     * changes), as repository-relative paths; deleted files are left out.
     */
    public static Set<String> changedSince(Path dir, String ref) {
        try (Repository repo = open(dir); RevWalk walk = new RevWalk(repo)) {
            RevCommit head = walk.parseCommit(resolve(repo, "HEAD"));
            RevCommit other = walk.parseCommit(resolve(repo, ref));
            walk.setRevFilter(RevFilter.MERGE_BASE);
            walk.markStart(head);
            walk.markStart(other);
            RevCommit base = walk.next();
            if (base == null) {
                throw new FixgateException("check.git", dir + ": HEAD and " + ref + " have no common history");
            }
            try (TreeWalk tw = new TreeWalk(repo)) {
                tw.setRecursive(true);
                tw.addTree(walk.parseCommit(base).getTree());
                tw.addTree(head.getTree());
                Set<String> out = new TreeSet<>();
                for (DiffEntry d : DiffEntry.scan(tw)) {
                    if (d.getChangeType() != DiffEntry.ChangeType.DELETE) {
                        out.add(d.getNewPath());
                    }
                }
                return out;
            }
        } catch (IOException e) {
            throw new FixgateException("check.git", dir + ": cannot compare HEAD with " + ref + ": " + e.getMessage());
        }
    }

    private static Repository open(Path dir) throws IOException {
        FileRepositoryBuilder b = new FileRepositoryBuilder().findGitDir(dir.toFile()).setMustExist(true);
        if (b.getGitDir() == null) {
            throw new FixgateException("check.git", dir + " is not a git checkout");
        }
        return b.build();
    }

    private static ObjectId resolve(Repository repo, String ref) throws IOException {
        ObjectId id = repo.resolve(ref + "^{commit}");
        if (id == null) {
            throw new FixgateException("check.git", "no commit " + ref + " in " + repo.getDirectory()
                    + (ref.startsWith("origin/") ? "" : " (in a pull request, fetch the base branch: fetch-depth: 0)"));
        }
        return id;
    }
}
