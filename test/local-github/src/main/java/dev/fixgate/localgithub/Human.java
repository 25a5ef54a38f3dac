package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.Issue;
import dev.fixgate.localgithub.Model.Repo;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;

/**
 * A scripted person: what they do goes through the same code as the REST API, so it emits the same webhooks and is
 * held to the same rules (you cannot approve your own pull request; an approval counts only with write access).
 */
public final class Human {

    private final Hub hub;
    private final String login;

    Human(Hub hub, String login) {
        this.hub = hub;
        this.login = login;
    }

    private Account me() {
        return hub.requireAccount(login);
    }

    private Issue pull(String owner, String repo, int number) {
        Repo r = hub.repo(owner, repo).orElseThrow(() -> new IllegalArgumentException("no repository " + owner + "/" + repo));
        Issue i = r.issues.get(number);
        if (i == null || !i.isPull()) {
            throw new IllegalArgumentException("no pull request " + owner + "/" + repo + "#" + number);
        }
        return i;
    }

    /** Submits an approving review of the pull request's current head; returns its id. */
    public long approve(String owner, String repo, int number, String body) {
        synchronized (hub) {
            return hub.pulls.review(pull(owner, repo, number), me(), body, Optional.of("APPROVE"), Optional.empty()).id;
        }
    }

    /**
     * Submits an approving review of a given commit of the pull request (its {@code commit_id}), such as a head it
     * had before later pushes; returns its id. The commit must be part of the pull request (else GitHub's 422
     * "The commitOID is not part of the pull request"). {@code submitted_at} is the clock's now, so a test clock
     * set back makes an approval "in the past".
     */
    public long approveAt(String owner, String repo, int number, String commitSha, String body) {
        synchronized (hub) {
            return hub.pulls.review(pull(owner, repo, number), me(), body, Optional.of("APPROVE"),
                    Optional.of(commitSha)).id;
        }
    }

    /** Submits a review that requests changes; returns its id. */
    public long requestChanges(String owner, String repo, int number, String body) {
        synchronized (hub) {
            return hub.pulls.review(pull(owner, repo, number), me(), body, Optional.of("REQUEST_CHANGES"),
                    Optional.empty()).id;
        }
    }

    /** Comments on an issue or pull request (a slash command is just a comment); returns the comment id. */
    public long comment(String owner, String repo, int number, String body) {
        synchronized (hub) {
            Repo r = hub.repo(owner, repo).orElseThrow(() -> new IllegalArgumentException("no repository " + repo));
            return hub.comment(hub.issue(r, number), me(), Optional.empty(), body).id;
        }
    }

    /**
     * Commits {@code files} (path → text; a null text deletes the file) on top of {@code branch} and moves it, as a
     * {@code git push} would: push event, and synchronize for pull requests from that branch. A missing branch is
     * created from the default branch. Returns the new commit's sha.
     */
    public String push(String owner, String repo, String branch, Map<String, String> files, String message) {
        synchronized (hub) {
            Repo r = hub.repo(owner, repo).orElseThrow(() -> new IllegalArgumentException("no repository " + repo));
            Optional<String> tip = r.git.branchSha(branch);
            String parent = tip.or(() -> r.git.branchSha(r.defaultBranch)).orElseThrow();
            List<GitRepo.TreeChange> changes = new ArrayList<>();
            files.forEach((path, text) -> changes.add(new GitRepo.TreeChange(path, "100644",
                    text == null ? Optional.empty() : Optional.of(text.getBytes(StandardCharsets.UTF_8)), Optional.empty())));
            String tree = r.git.writeTree(r.git.treeOf(parent), changes);
            GitRepo.Person who = new GitRepo.Person(me().name, me().email, hub.now());
            String sha = r.git.writeCommit(tree, List.of(parent), who, who, message.endsWith("\n") ? message : message + "\n");
            r.git.updateRef(Constants.R_HEADS + branch, sha, false);
            hub.refUpdated(r, Constants.R_HEADS + branch, tip.orElse(PullRequests.ZERO), sha, me());
            return sha;
        }
    }

    /** Opens a pull request; returns its number. */
    public int openPullRequest(String owner, String repo, String head, String base, String title, String body) {
        synchronized (hub) {
            Repo r = hub.repo(owner, repo).orElseThrow(() -> new IllegalArgumentException("no repository " + repo));
            return hub.pulls.open(r, me(), title, head, base, body, false).number;
        }
    }
}
