package dev.fixgate.app.deliver;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;
import org.kohsuke.github.GHContent;
import org.kohsuke.github.GHRepository;
import org.kohsuke.github.GHTreeBuilder;

/**
 * The commit through GitHub's Git Data API, without cloning: one blob per file → a tree on the default branch's head
 * tree → a commit (parent: that head) → {@code refs/heads/<branch>} created, or force-moved from the previous fixgate
 * commit. About {@code n + 5} requests for {@code n} files (and {@code n} reads to see whether a branch already holds
 * them), which is why {@link PullRequestDelivery} sends large changes to {@link JGitCommitter} instead.
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
        String parent = repo.getBranch(c.base()).getSHA1();
        String baseTree = repo.getCommit(parent).getTree().getSha();
        GHTreeBuilder tree = repo.createTree().baseTree(baseTree);
        for (Map.Entry<String, String> f : new TreeMap<>(c.files()).entrySet()) {
            String blob = repo.createBlob().textContent(f.getValue()).create().getSha();
            tree.shaEntry(f.getKey(), blob, false);
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
            repo.createRef("refs/heads/" + c.branch(), sha);
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
