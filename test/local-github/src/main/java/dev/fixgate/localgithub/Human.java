package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.CheckRun;
import dev.fixgate.localgithub.Model.Comment;
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

    /**
     * Comments on an issue or pull request (a slash command is just a comment): {@code issue_comment created} with
     * the {@code issue} (carrying {@code pull_request} for a pull request) and the {@code comment}; returns its id.
     */
    public long comment(String owner, String repo, int number, String body) {
        synchronized (hub) {
            Repo r = hub.repo(owner, repo).orElseThrow(() -> new IllegalArgumentException("no repository " + repo));
            return hub.issues.comment(hub.issues.issue(r, number), me(), Optional.empty(), body).id;
        }
    }

    /**
     * Edits the body of an issue or pull request, as a person does in the web UI (e.g. ticking a task-list checkbox):
     * {@code issues edited} (a pull request: {@code pull_request edited}) with {@code changes.body.from}. Allowed for
     * the author and for people with write access, else {@link IllegalStateException} (GitHub offers no edit).
     */
    public void editIssueBody(String owner, String repo, int number, String newBody) {
        synchronized (hub) {
            Repo r = repo(owner, repo);
            Issue i = r.issues.get(number);
            if (i == null) {
                throw new IllegalArgumentException("no issue " + owner + "/" + repo + "#" + number);
            }
            Account me = me();
            if (i.user != me && !canWrite(r, me)) {
                throw new IllegalStateException(login + " may not edit " + owner + "/" + repo + "#" + number
                        + ": only its author and people with write access may");
            }
            hub.issues.editIssue(i, Optional.empty(), true, newBody, me);
        }
    }

    /**
     * Edits an issue or pull request comment: {@code issue_comment edited} with {@code changes.body.from}. Allowed for
     * the comment's author and people with write access, else {@link IllegalStateException}.
     */
    public void editComment(String owner, String repo, long commentId, String newBody) {
        synchronized (hub) {
            Repo r = repo(owner, repo);
            Comment c = r.issues.values().stream().flatMap(i -> i.comments.stream()).filter(x -> x.id == commentId)
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("no comment " + commentId + " in "
                            + owner + "/" + repo));
            Account me = me();
            if (c.user != me && !canWrite(r, me)) {
                throw new IllegalStateException(login + " may not edit comment " + commentId
                        + ": only its author and people with write access may");
            }
            if (newBody == null || newBody.isBlank()) {
                throw new IllegalArgumentException("a comment needs a body");
            }
            hub.issues.editComment(c, newBody, me);
        }
    }

    /**
     * Clicks a button ({@code actions}) of a check run: {@code check_run requested_action} with
     * {@code requested_action.identifier}, sent to the app that created the run only, with this person as sender.
     * GitHub shows the buttons once the run has completed and only to people with write access; otherwise, or when
     * the run has no action with that identifier, {@link IllegalStateException}.
     */
    public void requestCheckRunAction(String owner, String repo, long checkRunId, String identifier) {
        synchronized (hub) {
            Repo r = repo(owner, repo);
            CheckRun run = hub.checks.findRun(r, checkRunId).orElseThrow(() -> new IllegalArgumentException(
                    "no check run " + checkRunId + " in " + owner + "/" + repo));
            Account me = me();
            if (!canWrite(r, me)) {
                throw new IllegalStateException(login + " has no write access to " + owner + "/" + repo
                        + ": GitHub shows check run actions only to people with write access");
            }
            if (!run.status.equals("completed")) {
                throw new IllegalStateException("check run " + checkRunId + " is " + run.status
                        + ": GitHub shows its actions only once it has completed");
            }
            if (run.actions.stream().noneMatch(a -> a.identifier().equals(identifier))) {
                throw new IllegalStateException("check run " + checkRunId + " has no action " + identifier + " (it has "
                        + run.actions.stream().map(CheckRunAction::identifier).toList() + ")");
            }
            hub.checks.requestAction(r, run, me, identifier);
        }
    }

    private Repo repo(String owner, String repo) {
        return hub.repo(owner, repo).orElseThrow(() -> new IllegalArgumentException("no repository " + owner + "/" + repo));
    }

    private boolean canWrite(Repo r, Account a) {
        return Hub.level(hub.permission(r, a)) >= Hub.level("write");
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
