package dev.fixgate.app.deliver;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;
import org.kohsuke.github.GHCommit;
import org.kohsuke.github.GHContent;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHTreeBuilder;
import org.kohsuke.github.HttpException;

/**
 * The commit through GitHub's Git Data API, without cloning: the default branch's head commit (with its tree's id)
 * — or, without a request, the commit the remediation job planned on ({@link Change#plannedOn()}) — → a tree on
 * that tree with each file's text inline (GitHub writes the blobs) → a commit (parent: that commit) →
 * {@code refs/heads/<branch>} created, or force-moved from the previous fixgate commit. Three or four requests
 * whatever the number of files (and {@code n} reads to see whether an existing branch already holds them); the request body
 * carries every file's text, which is why {@link PullRequestDelivery} sends large changes to {@link JGitCommitter}.
 *
 * <p>Creating the branch when one exists already fails with {@link BranchExists} (GitHub's 422, "Reference
 * already exists") and moves nothing, so a caller may try creation first and look at the branch only then.
 *
 * <p>A failure before the last call leaves only unreferenced objects behind; the ref moves in one call or not at all.
 */
public final class GitDataApiCommitter implements BranchCommitter {

    @Override
    public Result commit(Change c) throws IOException {
        GHRepository repo = c.repository();
        if (c.current().isPresent() && !c.rebuild() && sameFiles(repo, c.current().get(), c.files())) {
            return new Result(c.current().get(), false);
        }
        String parent;
        String baseTree;
        if (c.plannedOn().isPresent()) {
            // the commit the remediation job computed the files from: no request, and the fix is exactly its diff
            parent = c.plannedOn().get().commit();
            baseTree = c.plannedOn().get().tree();
        } else {
            // the default branch's head commit and its tree in one request (GET /commits/{branch})
            GHCommit head = repo.getCommit(c.base());
            parent = head.getSHA1();
            baseTree = head.getCommitShortInfo().getTreeSHA1();
        }
        GHTreeBuilder tree = repo.createTree().baseTree(baseTree);
        for (Map.Entry<String, String> f : new TreeMap<>(c.files()).entrySet()) {
            tree.textEntry(f.getKey(), f.getValue(), false); // the text inline: GitHub writes the blob with the tree
        }
        String treeSha = tree.create().getSha();
        Date when = Date.from(c.at());
        String sha = repo.createCommit().message(c.message()).tree(treeSha).parent(parent)
                .author(PullRequestDelivery.BOT_NAME, PullRequestDelivery.BOT_EMAIL, when)
                .committer(PullRequestDelivery.BOT_NAME, PullRequestDelivery.BOT_EMAIL, when).create().getSHA1();
        if (c.current().isPresent()) {
            // the new commit is not a descendant of the old one (it is rebuilt on the current default branch)
            repo.getRef("heads/" + c.branch()).updateTo(sha, true);
        } else {
            try {
                repo.createRef("refs/heads/" + c.branch(), sha);
            } catch (HttpException e) {
                if (e.getResponseCode() == 422) {
                    // the branch exists although the caller saw none (it did not look, or it was created since):
                    // nothing moved; the caller looks at the branch and decides again
                    throw new BranchExists(c.branch(), e);
                }
                throw e;
            }
        }
        return new Result(sha, true);
    }

    /** Whether {@code head} holds every file with exactly the given text (one read per file). */
    static boolean sameFiles(GHRepository repo, String head, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            try {
                GHContent content = repo.getFileContent(f.getKey(), head);
                String text = new String(content.read().readAllBytes(), StandardCharsets.UTF_8);
                if (!text.equals(f.getValue())) {
                    return false;
                }
            } catch (FileNotFoundException e) {
                return false;
            }
        }
        return true;
    }
}
