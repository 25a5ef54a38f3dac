package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.Issue;
import dev.fixgate.localgithub.Model.Protection;
import dev.fixgate.localgithub.Model.Pull;
import dev.fixgate.localgithub.Model.Repo;
import dev.fixgate.localgithub.Model.Review;
import dev.fixgate.localgithub.Model.ReviewState;
import dev.fixgate.localgithub.Model.Team;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pull requests: opening (with CODEOWNERS review requests), reviews, mergeability as GitHub computes it, branch
 * protection, the three merge methods (real commits in the bare repository) and what a push to a head branch does
 * (synchronize, stale approvals dismissed). Called with the hub's lock held.
 */
final class PullRequests {

    static final String ZERO = ObjectId.zeroId().name();
    private static final GitRepo.Person GITHUB = new GitRepo.Person("GitHub", "noreply@github.com", null);

    private final Hub hub;

    PullRequests(Hub hub) {
        this.hub = hub;
    }

    /** Mergeability: {@code mergeable} (null when not computed), {@code mergeable_state}, and why a merge is refused. */
    record Gate(Boolean mergeable, String state, Optional<String> blocked) {}

    // ---- opening and editing

    Issue open(Repo r, Account author, String title, String head, String base, String body, boolean draft) {
        if (title == null || title.isBlank()) {
            throw ApiException.invalid("PullRequest", "title", "missing_field");
        }
        if (head == null || head.isBlank()) {
            throw ApiException.invalid("PullRequest", "head", "missing_field");
        }
        if (base == null || base.isBlank()) {
            throw ApiException.invalid("PullRequest", "base", "missing_field");
        }
        String headRef = head.contains(":") ? head.substring(head.indexOf(':') + 1) : head;
        if (head.contains(":") && !head.substring(0, head.indexOf(':')).equalsIgnoreCase(r.owner.login)) {
            throw ApiException.invalid("PullRequest", "head", "invalid");
        }
        String headSha = r.git.branchSha(headRef).orElseThrow(() -> ApiException.invalid("PullRequest", "head", "invalid"));
        String baseSha = r.git.branchSha(base).orElseThrow(() -> ApiException.invalid("PullRequest", "base", "invalid"));
        for (Issue i : r.issues.values()) {
            if (i.isPull() && i.state.equals("open") && i.pull.get().headRef.equals(headRef)
                    && i.pull.get().baseRef.equals(base)) {
                throw ApiException.invalidCustom("PullRequest",
                        "A pull request already exists for " + r.owner.login + ":" + headRef + ".");
            }
        }
        if (r.git.commitsBetween(baseSha, headSha).isEmpty()) {
            throw ApiException.invalidCustom("PullRequest", "No commits between " + base + " and " + headRef);
        }
        Pull p = new Pull(hub.nextId(), headRef, headSha, base, draft);
        Issue i = new Issue(hub.nextId(), r, r.nextNumber++, title, body, author, hub.now(), Optional.of(p));
        r.issues.put(i.number, i);
        Set<Account> owners = codeOwnerReviewers(r, baseSha, r.git.mergeBase(baseSha, headSha).orElse(baseSha), headSha);
        owners.remove(author);
        p.requestedReviewers.addAll(owners);
        hub.emit(r, "pull_request", "opened", author, e -> {
            e.put("number", i.number);
            e.set("pull_request", json(i, Shapes.Flavor.WEBHOOK, true));
        });
        for (Account reviewer : owners) {
            hub.emit(r, "pull_request", "review_requested", author, e -> {
                e.put("number", i.number);
                e.set("pull_request", json(i, Shapes.Flavor.WEBHOOK, true));
                e.set("requested_reviewer", hub.shapes.user(reviewer));
            });
        }
        return i;
    }

    /** The users CODEOWNERS (read from the base commit) names for the changed files, if they can review. */
    Set<Account> codeOwnerReviewers(Repo r, String baseSha, String mergeBase, String headSha) {
        Set<Account> out = new LinkedHashSet<>();
        Optional<Codeowners> co = codeowners(r, baseSha);
        if (co.isEmpty()) {
            return out;
        }
        for (GitRepo.FileChange f : r.git.diff(mergeBase, headSha)) {
            for (String login : co.get().userOwners(f.filename())) {
                hub.account(login).filter(a -> Hub.level(hub.permission(r, a)) >= Hub.level("write")).ifPresent(out::add);
            }
        }
        return out;
    }

    static Optional<Codeowners> codeowners(Repo r, String commitSha) {
        for (String path : Codeowners.LOCATIONS) {
            Optional<Map.Entry<String, byte[]>> f = r.git.file(commitSha, path);
            if (f.isPresent()) {
                return Optional.of(Codeowners.parse(new String(f.get().getValue(), StandardCharsets.UTF_8)));
            }
        }
        return Optional.empty();
    }

    /**
     * Requests reviews from users and from teams (slugs of the repository owner's teams). Everything is checked
     * before anything changes, as GitHub answers one 422 for the whole request. Requesting again is a no-op.
     */
    void requestReviewers(Issue i, List<String> logins, List<String> teamSlugs, Account sender) {
        Pull p = i.pull.orElseThrow();
        List<Account> users = new ArrayList<>();
        for (String login : logins) {
            Account a = hub.account(login).orElseThrow(() -> notCollaborator(i, "users or teams"));
            if (a == i.user) {
                throw ApiException.unprocessable("Review cannot be requested from pull request author.");
            }
            users.add(a);
        }
        List<Team> teams = new ArrayList<>();
        for (String slug : teamSlugs) {
            // Team repository access is not modelled: any team of the owning organisation may be requested.
            teams.add(hub.teams.find(i.repo.owner, slug).orElseThrow(() -> notCollaborator(i, "teams")));
        }
        for (Account a : users) {
            if (p.requestedReviewers.add(a)) {
                reviewRequestEvent(i, "review_requested", sender, "requested_reviewer", hub.shapes.user(a));
            }
        }
        for (Team t : teams) {
            if (p.requestedTeams.add(t)) {
                reviewRequestEvent(i, "review_requested", sender, "requested_team",
                        hub.shapes.teams().team(t, Shapes.Flavor.WEBHOOK));
            }
        }
    }

    /** Withdraws review requests; logins and slugs that were not requested are ignored. */
    void removeReviewRequests(Issue i, List<String> logins, List<String> teamSlugs, Account sender) {
        Pull p = i.pull.orElseThrow();
        for (String login : logins) {
            Optional<Account> a = hub.account(login);
            if (a.isPresent() && p.requestedReviewers.remove(a.get())) {
                reviewRequestEvent(i, "review_request_removed", sender, "requested_reviewer", hub.shapes.user(a.get()));
            }
        }
        for (String slug : teamSlugs) {
            Optional<Team> t = hub.teams.find(i.repo.owner, slug);
            if (t.isPresent() && p.requestedTeams.remove(t.get())) {
                reviewRequestEvent(i, "review_request_removed", sender, "requested_team",
                        hub.shapes.teams().team(t.get(), Shapes.Flavor.WEBHOOK));
            }
        }
    }

    private static ApiException notCollaborator(Issue i, String what) {
        return ApiException.unprocessable("Reviews may only be requested from collaborators. One or more of the " + what
                + " you specified is not a collaborator of the " + i.repo.fullName() + " repository.");
    }

    private void reviewRequestEvent(Issue i, String action, Account sender, String key, ObjectNode who) {
        i.updatedAt = hub.now();
        hub.emit(i.repo, "pull_request", action, sender, e -> {
            e.put("number", i.number);
            e.set("pull_request", json(i, Shapes.Flavor.WEBHOOK, true));
            e.set(key, who);
        });
    }

    /** Title, body ({@code setBody}: given, possibly null) and base; {@code pull_request edited} with the changes. */
    void edit(Issue i, Optional<String> title, boolean setBody, String body, Optional<String> base, Account sender) {
        Pull p = i.pull.orElseThrow();
        if (base.isPresent() && !base.get().equals(p.baseRef) && i.repo.git.branchSha(base.get()).isEmpty()) {
            throw ApiException.invalid("PullRequest", "base", "invalid");
        }
        ObjectNode changes = hub.issues.titleBodyChanges(i, title, setBody, body);
        if (base.isPresent() && !base.get().equals(p.baseRef)) {
            changes.putObject("base").putObject("ref").put("from", p.baseRef);
            p.baseRef = base.get();
        }
        if (!changes.isEmpty()) {
            i.updatedAt = hub.now();
            hub.emit(i.repo, "pull_request", "edited", sender, e -> {
                e.put("number", i.number);
                e.set("changes", changes);
                e.set("pull_request", json(i, Shapes.Flavor.WEBHOOK, true));
            });
        }
    }

    // ---- shapes

    ObjectNode json(Issue i, Shapes.Flavor f, boolean full) {
        return hub.shapes.issues().pull(i, facts(i, full), f, full, hub.association(i.repo, i.user));
    }

    String baseSha(Issue i) {
        Pull p = i.pull.orElseThrow();
        if (p.frozenBaseSha != null) {
            return p.frozenBaseSha;
        }
        return i.repo.git.branchSha(p.baseRef).orElse(p.headSha);
    }

    IssueShapes.PullFacts facts(Issue i, boolean full) {
        Pull p = i.pull.orElseThrow();
        String baseSha = baseSha(i);
        if (!full) {
            return new IssueShapes.PullFacts(baseSha, null, "unknown", 0, 0, 0, 0, 0);
        }
        String mb = i.repo.git.mergeBase(baseSha, p.headSha).orElse(baseSha);
        List<GitRepo.FileChange> files = i.repo.git.diff(mb, p.headSha);
        int add = files.stream().mapToInt(GitRepo.FileChange::additions).sum();
        int del = files.stream().mapToInt(GitRepo.FileChange::deletions).sum();
        Gate g = gate(i);
        return new IssueShapes.PullFacts(baseSha, g.mergeable(), g.state(),
                i.repo.git.commitsBetween(mb, p.headSha).size(), add, del, files.size(), 0);
    }

    List<GitRepo.FileChange> files(Issue i) {
        Pull p = i.pull.orElseThrow();
        String baseSha = baseSha(i);
        String mb = i.repo.git.mergeBase(baseSha, p.headSha).orElse(baseSha);
        return i.repo.git.diff(mb, p.headSha);
    }

    // ---- mergeability and branch protection

    Gate gate(Issue i) {
        Pull p = i.pull.orElseThrow();
        if (p.merged || !i.state.equals("open")) {
            return new Gate(null, "unknown", Optional.of("Pull Request is not mergeable"));
        }
        String baseSha = baseSha(i);
        if (i.repo.git.mergeTree(baseSha, p.headSha).isEmpty()) {
            return new Gate(false, "dirty", Optional.of("Pull Request is not mergeable"));
        }
        if (p.draft) {
            return new Gate(true, "draft", Optional.of("Pull Request is still a draft"));
        }
        Protection prot = i.repo.protections.get(p.baseRef);
        if (prot != null) {
            Optional<String> checks = requiredChecksProblem(i.repo, p.headSha, prot);
            if (checks.isPresent()) {
                return new Gate(true, "blocked", checks);
            }
            Optional<String> reviews = reviewProblem(i, prot);
            if (reviews.isPresent()) {
                return new Gate(true, "blocked", reviews);
            }
            if (prot.strict && !i.repo.git.isAncestor(baseSha, p.headSha)) {
                return new Gate(true, "behind", Optional.of("Head branch is out of date. Review and try the merge again."));
            }
        }
        Set<String> required = prot == null ? Set.of() : Set.copyOf(prot.requiredContexts);
        if (hub.checks.anyNotPassing(i.repo, p.headSha, required)) {
            return new Gate(true, "unstable", Optional.empty());
        }
        return new Gate(true, "clean", Optional.empty());
    }

    private Optional<String> requiredChecksProblem(Repo r, String sha, Protection prot) {
        List<String> expected = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String ctx : prot.requiredContexts) {
            String state = hub.checks.contextState(r, sha, ctx);
            switch (state) {
                case "success" -> { }
                case "missing" -> expected.add(ctx);
                case "pending" -> problems.add("Required status check \"" + ctx + "\" is in progress.");
                default -> problems.add("Required status check \"" + ctx + "\" is failing.");
            }
        }
        if (!problems.isEmpty()) {
            return Optional.of(problems.get(0));
        }
        if (expected.size() == 1) {
            return Optional.of("Required status check \"" + expected.get(0) + "\" is expected.");
        }
        if (expected.size() > 1) {
            return Optional.of(expected.size() + " of " + prot.requiredContexts.size()
                    + " required status checks are expected.");
        }
        return Optional.empty();
    }

    /** The latest decisive review per reviewer (COMMENTED and PENDING reviews never replace a decision). */
    Map<Account, Review> decisions(Pull p) {
        Map<Account, Review> latest = new LinkedHashMap<>();
        for (Review rv : p.reviews) {
            if (rv.state == ReviewState.APPROVED || rv.state == ReviewState.CHANGES_REQUESTED
                    || rv.state == ReviewState.DISMISSED) {
                latest.put(rv.user, rv);
            }
        }
        return latest;
    }

    private Optional<String> reviewProblem(Issue i, Protection prot) {
        Pull p = i.pull.orElseThrow();
        int approvals = 0;
        boolean changesRequested = false;
        for (Review rv : decisions(p).values()) {
            boolean canWrite = Hub.level(hub.permission(i.repo, rv.user)) >= Hub.level("write");
            if (!canWrite || rv.user == i.user) {
                continue; // GitHub counts only reviewers with write access, and never the author
            }
            if (rv.state == ReviewState.APPROVED) {
                approvals++;
            } else if (rv.state == ReviewState.CHANGES_REQUESTED) {
                changesRequested = true;
            }
        }
        if (prot.requiredApprovingReviewCount > 0 && changesRequested) {
            return Optional.of("Changes requested by reviewers with write access.");
        }
        if (approvals < prot.requiredApprovingReviewCount) {
            int n = prot.requiredApprovingReviewCount;
            return Optional.of("At least " + n + " approving review" + (n == 1 ? " is" : "s are")
                    + " required by reviewers with write access.");
        }
        return Optional.empty();
    }

    // ---- reviews

    Review review(Issue i, Account user, String body, Optional<String> event, Optional<String> commitId) {
        Pull p = i.pull.orElseThrow();
        if (!i.state.equals("open") && event.isPresent()) {
            throw ApiException.unprocessable("Can not approve or request changes on a closed pull request.");
        }
        String commit = commitId.orElse(p.headSha);
        if (!partOf(i, commit)) {
            throw ApiException.unprocessableSimple("The commitOID is not part of the pull request");
        }
        Review rv = new Review(hub.nextId(), i, user, body, ReviewState.PENDING, commit, null);
        if (event.isPresent()) {
            applyEvent(rv, event.get(), body);
        }
        p.reviews.add(rv);
        if (rv.state != ReviewState.PENDING) {
            submitted(rv);
        }
        return rv;
    }

    /** A commit of the pull request: on its head branch since the base, or a head it had (before a force push). */
    private boolean partOf(Issue i, String sha) {
        Pull p = i.pull.orElseThrow();
        if (p.headHistory.contains(sha)) {
            return true;
        }
        if (!sha.matches("[0-9a-f]{40}") || i.repo.git.commit(sha).isEmpty()) {
            return false;
        }
        String baseSha = baseSha(i);
        String mb = i.repo.git.mergeBase(baseSha, p.headSha).orElse(baseSha);
        return i.repo.git.commitsBetween(mb, p.headSha).contains(sha);
    }

    void submit(Review rv, String event, String body) {
        if (rv.state != ReviewState.PENDING) {
            throw ApiException.unprocessable("Can not submit a review that is not pending.");
        }
        applyEvent(rv, event, body == null ? rv.body : body);
        submitted(rv);
    }

    private void applyEvent(Review rv, String event, String body) {
        Issue i = rv.pull;
        ReviewState state = switch (event) {
            case "APPROVE" -> ReviewState.APPROVED;
            case "REQUEST_CHANGES" -> ReviewState.CHANGES_REQUESTED;
            case "COMMENT" -> ReviewState.COMMENTED;
            default -> throw ApiException.invalid("PullRequestReview", "event", "invalid");
        };
        if (rv.user == i.user && state == ReviewState.APPROVED) {
            throw ApiException.unprocessable("Can not approve your own pull request");
        }
        if (rv.user == i.user && state == ReviewState.CHANGES_REQUESTED) {
            throw ApiException.unprocessable("Can not request changes on your own pull request");
        }
        if (state != ReviewState.APPROVED && (body == null || body.isBlank())) {
            throw ApiException.unprocessable("Review Comment is missing"
                    + (state == ReviewState.COMMENTED ? "" : " for REQUEST_CHANGES"));
        }
        rv.body = body;
        rv.state = state;
        rv.submittedAt = hub.now();
    }

    private void submitted(Review rv) {
        Issue i = rv.pull;
        i.pull.get().requestedReviewers.remove(rv.user);
        // A member's review answers a request made to their team, as on github.com.
        i.pull.get().requestedTeams.removeIf(t -> t.members.contains(rv.user));
        i.updatedAt = hub.now();
        hub.emit(i.repo, "pull_request_review", "submitted", rv.user, e -> {
            e.set("review", reviewJson(rv, Shapes.Flavor.WEBHOOK));
            e.set("pull_request", json(i, Shapes.Flavor.WEBHOOK, false));
        });
    }

    ObjectNode reviewJson(Review rv, Shapes.Flavor f) {
        return hub.shapes.issues().review(rv, f, hub.association(rv.pull.repo, rv.user));
    }

    Review findReview(Issue i, long id) {
        return i.pull.orElseThrow().reviews.stream().filter(r -> r.id == id).findFirst()
                .orElseThrow(ApiException::notFound);
    }

    void dismiss(Review rv, String message, Account sender) {
        if (rv.state != ReviewState.APPROVED && rv.state != ReviewState.CHANGES_REQUESTED) {
            throw ApiException.unprocessable("Can not dismiss a " + rv.state.name().toLowerCase() + " pull request review");
        }
        rv.state = ReviewState.DISMISSED;
        Issue i = rv.pull;
        hub.emit(i.repo, "pull_request_review", "dismissed", sender, e -> {
            e.set("review", reviewJson(rv, Shapes.Flavor.WEBHOOK));
            e.set("pull_request", json(i, Shapes.Flavor.WEBHOOK, false));
        });
    }

    // ---- merging

    /** Merges with GitHub's checks; returns the new commit's sha. */
    String merge(Issue i, Account merger, String method, Optional<String> sha, Optional<String> title,
                 Optional<String> message) {
        Pull p = i.pull.orElseThrow();
        if (sha.isPresent() && !sha.get().equals(p.headSha)) {
            throw ApiException.conflict("Head branch was modified. Review and try the merge again.");
        }
        if (!List.of("merge", "squash", "rebase").contains(method)) {
            throw ApiException.invalid("PullRequest", "merge_method", "invalid");
        }
        Gate g = gate(i);
        if (g.blocked().isPresent()) {
            throw ApiException.notAllowed(g.blocked().get());
        }
        Repo r = i.repo;
        String baseSha = baseSha(i);
        GitRepo.Person author = new GitRepo.Person(merger.name, merger.email, hub.now());
        GitRepo.Person committer = new GitRepo.Person(GITHUB.name(), GITHUB.email(), hub.now());
        String newSha;
        switch (method) {
            case "merge" -> {
                String tree = r.git.mergeTree(baseSha, p.headSha).orElseThrow();
                String t = title.orElse("Merge pull request #" + i.number + " from " + r.owner.login + "/" + p.headRef);
                String m = message.orElse(i.title);
                newSha = r.git.writeCommit(tree, List.of(baseSha, p.headSha), author, committer,
                        m.isEmpty() ? t : t + "\n\n" + m);
            }
            case "squash" -> {
                String tree = r.git.mergeTree(baseSha, p.headSha).orElseThrow();
                String t = title.orElse(i.title + " (#" + i.number + ")");
                String m = message.orElseGet(() -> defaultSquashMessage(i));
                GitRepo.Person squashAuthor = new GitRepo.Person(i.user.name, i.user.email, hub.now());
                newSha = r.git.writeCommit(tree, List.of(baseSha), squashAuthor, committer,
                        m.isEmpty() ? t : t + "\n\n" + m);
            }
            default -> newSha = r.git.rebase(baseSha, p.headSha, committer)
                    .orElseThrow(() -> ApiException.notAllowed("This branch can't be rebased"));
        }
        RefUpdate.Result res = r.git.updateRef(Constants.R_HEADS + p.baseRef, newSha, false);
        if (res != RefUpdate.Result.FAST_FORWARD && res != RefUpdate.Result.NEW && res != RefUpdate.Result.FORCED) {
            throw ApiException.conflict("Base branch was modified. Review and try the merge again.");
        }
        p.merged = true;
        p.mergedAt = hub.now();
        p.mergedBy = merger;
        p.mergeCommitSha = newSha;
        p.frozenBaseSha = baseSha;
        i.state = "closed";
        i.closedAt = hub.now();
        i.updatedAt = hub.now();
        i.closedBy = merger;
        hub.refUpdated(r, Constants.R_HEADS + p.baseRef, baseSha, newSha, merger);
        hub.emit(r, "pull_request", "closed", merger, e -> {
            e.put("number", i.number);
            e.set("pull_request", json(i, Shapes.Flavor.WEBHOOK, true));
        });
        return newSha;
    }

    private String defaultSquashMessage(Issue i) {
        Pull p = i.pull.orElseThrow();
        String baseSha = baseSha(i);
        String mb = i.repo.git.mergeBase(baseSha, p.headSha).orElse(baseSha);
        StringBuilder b = new StringBuilder();
        for (String sha : i.repo.git.commitsBetween(mb, p.headSha)) {
            if (!b.isEmpty()) {
                b.append("\n\n");
            }
            b.append("* ").append(i.repo.git.commit(sha).orElseThrow().message().strip());
        }
        return b.toString();
    }

    void close(Issue i, Account sender) {
        Pull p = i.pull.orElseThrow();
        if (i.state.equals("closed")) {
            return;
        }
        p.frozenBaseSha = baseSha(i);
        hub.issues.setState(i, "closed", null, sender);
    }

    void reopen(Issue i, Account sender) {
        Pull p = i.pull.orElseThrow();
        if (p.merged) {
            throw ApiException.unprocessable("Cannot reopen a merged pull request");
        }
        p.frozenBaseSha = null;
        hub.issues.setState(i, "open", null, sender);
    }

    // ---- pushes

    /** A branch moved: open pull requests from it get the new head, a synchronize event, and stale approvals go. */
    void onBranchMoved(Repo r, String branch, String before, String after, Account sender) {
        for (Issue i : r.issues.values()) {
            if (!i.isPull() || !i.state.equals("open")) {
                continue;
            }
            Pull p = i.pull.get();
            if (!p.headRef.equals(branch) || after.equals(ZERO)) {
                continue;
            }
            p.headSha = after;
            p.headHistory.add(after);
            i.updatedAt = hub.now();
            Protection prot = r.protections.get(p.baseRef);
            List<Review> dismissed = new ArrayList<>();
            if (prot != null && prot.dismissStaleReviews) {
                for (Review rv : p.reviews) {
                    if (rv.state == ReviewState.APPROVED && !rv.commitId.equals(after)) {
                        rv.state = ReviewState.DISMISSED;
                        dismissed.add(rv);
                    }
                }
            }
            hub.emit(r, "pull_request", "synchronize", sender, e -> {
                e.put("number", i.number);
                e.put("before", before);
                e.put("after", after);
                e.set("pull_request", json(i, Shapes.Flavor.WEBHOOK, true));
            });
            for (Review rv : dismissed) {
                hub.emit(r, "pull_request_review", "dismissed", sender, e -> {
                    e.set("review", reviewJson(rv, Shapes.Flavor.WEBHOOK));
                    e.set("pull_request", json(i, Shapes.Flavor.WEBHOOK, false));
                });
            }
        }
    }
}
