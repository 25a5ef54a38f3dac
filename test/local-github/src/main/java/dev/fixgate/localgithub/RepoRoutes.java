package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.Principal;
import dev.fixgate.localgithub.Model.Repo;
import dev.fixgate.localgithub.Rest.Req;
import dev.fixgate.localgithub.Rest.Res;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Repositories, branches, contents, collaborators, commits and the Git Data API (blobs, trees, commits, refs). */
final class RepoRoutes {

    private final Hub hub;

    RepoRoutes(Hub hub) {
        this.hub = hub;
    }

    void register(Rest rest) {
        rest.get("/repos/{owner}/{repo}", r -> Res.ok(hub.repoJson(read(r), r.principal())));
        rest.get("/repos/{owner}/{repo}/branches", this::branches);
        rest.get("/repos/{owner}/{repo}/branches/{branch}", this::branch);
        rest.get("/repos/{owner}/{repo}/commits", this::commits);
        rest.get("/repos/{owner}/{repo}/commits/{ref}", this::commit);
        rest.get("/repos/{owner}/{repo}/compare/{basehead}", this::compare);
        rest.get("/repos/{owner}/{repo}/contents/{path}", this::getContent);
        rest.put("/repos/{owner}/{repo}/contents/{path}", this::putContent);
        rest.get("/repos/{owner}/{repo}/collaborators/{username}/permission", this::permission);
        rest.post("/repos/{owner}/{repo}/git/blobs", this::createBlob);
        rest.get("/repos/{owner}/{repo}/git/blobs/{file_sha}", this::getBlob);
        rest.post("/repos/{owner}/{repo}/git/trees", this::createTree);
        rest.get("/repos/{owner}/{repo}/git/trees/{tree_sha}", this::getTree);
        rest.post("/repos/{owner}/{repo}/git/commits", this::createCommit);
        rest.get("/repos/{owner}/{repo}/git/commits/{commit_sha}", this::getCommit);
        rest.get("/repos/{owner}/{repo}/git/ref/{ref}", this::getRef);
        rest.get("/repos/{owner}/{repo}/git/matching-refs/{ref}", this::matchingRefs);
        // hub4j's getRef() still uses the pre-2020 path; GitHub answers it like git/ref/{ref} for an exact name.
        rest.add("GET", "/repos/{owner}/{repo}/git/refs/{ref}", "/repos/{owner}/{repo}/git/ref/{ref}", Rest.Auth.ANY,
                this::getRef);
        rest.post("/repos/{owner}/{repo}/git/refs", this::createRef);
        rest.patch("/repos/{owner}/{repo}/git/refs/{ref}", this::updateRef);
        rest.delete("/repos/{owner}/{repo}/git/refs/{ref}", this::deleteRef);
    }

    private Repo read(Req r) {
        return hub.readable(r.p("owner"), r.p("repo"), r.principal());
    }

    private Repo write(Req r) {
        return hub.writable(r.p("owner"), r.p("repo"), r.principal());
    }

    // ---- branches, commits, contents

    private Res branches(Req r) {
        Repo repo = read(r);
        List<ObjectNode> out = new ArrayList<>();
        for (Ref ref : repo.git.refs(Constants.R_HEADS)) {
            String name = ref.getName().substring(Constants.R_HEADS.length());
            ObjectNode commit = Json.obj();
            commit.put("sha", ref.getObjectId().name());
            commit.put("url", hub.shapes.repoUrl(repo) + "/commits/" + ref.getObjectId().name());
            out.add(hub.shapes.gitObjects().branch(repo, name, commit, repo.protections.get(name), false));
        }
        return Res.page(out);
    }

    private Res branch(Req r) {
        Repo repo = read(r);
        String name = r.p("branch");
        String sha = repo.git.branchSha(name).orElseThrow(() -> new ApiException(404, "Branch not found",
                ApiException.DOCS, List.of()));
        GitRepo.CommitInfo c = repo.git.commit(sha).orElseThrow();
        return Res.ok(hub.shapes.gitObjects().branch(repo, name,
                hub.shapes.gitObjects().repoCommit(repo, c, authorAccount(c)), repo.protections.get(name), true));
    }

    private Account authorAccount(GitRepo.CommitInfo c) {
        for (Account a : hub.accounts.values()) {
            if (a.email.equalsIgnoreCase(c.author().email())) {
                return a;
            }
        }
        return null;
    }

    /** {@code git log} of {@code sha} (a branch, tag or sha; the default branch when absent), newest first. */
    private Res commits(Req r) {
        Repo repo = read(r);
        if (repo.git.refs(Constants.R_HEADS).isEmpty()) {
            throw ApiException.conflict("Git Repository is empty.");
        }
        String from = r.q("sha").orElse(repo.defaultBranch);
        String sha = repo.git.resolve(from).orElseThrow(() -> new ApiException(404, "No commit found for SHA: " + from,
                ApiException.DOCS, List.of()));
        Optional<String> path = r.q("path").map(RepoRoutes::stripSlashes).filter(p -> !p.isEmpty());
        Optional<Instant> since = time(r, "since");
        Optional<Instant> until = time(r, "until");
        Optional<String> author = r.q("author");
        Optional<String> committer = r.q("committer");
        List<ObjectNode> out = new ArrayList<>();
        for (GitRepo.CommitInfo c : repo.git.log(sha, path)) {
            Instant when = c.committer().when();
            if (since.filter(when::isBefore).isPresent() || until.filter(when::isAfter).isPresent()
                    || author.filter(a -> !isPerson(c.author(), a)).isPresent()
                    || committer.filter(a -> !isPerson(c.committer(), a)).isPresent()) {
                continue;
            }
            out.add(hub.shapes.gitObjects().repoCommit(repo, c, authorAccount(c)));
        }
        return Res.page(out);
    }

    private static Optional<Instant> time(Req r, String name) {
        try {
            return r.q(name).map(Instant::parse);
        } catch (DateTimeParseException e) {
            throw new ApiException(400, "Invalid value for " + name + ": " + r.q(name).orElseThrow(), ApiException.DOCS,
                    List.of());
        }
    }

    /** GitHub's {@code author}/{@code committer} filter: a login (through its e-mail) or an e-mail address. */
    private boolean isPerson(GitRepo.Person p, String loginOrEmail) {
        return p.email().equalsIgnoreCase(loginOrEmail)
                || hub.account(loginOrEmail).filter(a -> a.email.equalsIgnoreCase(p.email())).isPresent();
    }

    private Res commit(Req r) {
        Repo repo = read(r);
        String sha = repo.git.resolve(r.p("ref")).orElseThrow(() -> ApiException.unprocessable(
                "No commit found for SHA: " + r.p("ref")));
        GitRepo.CommitInfo c = repo.git.commit(sha).orElseThrow();
        ObjectNode o = hub.shapes.gitObjects().repoCommit(repo, c, authorAccount(c));
        // Against the first parent, as GitHub shows a merge commit; a root commit against the empty tree.
        List<GitRepo.FileChange> files = repo.git.diff(c.parents().isEmpty() ? null : c.parents().get(0), sha);
        int add = files.stream().mapToInt(GitRepo.FileChange::additions).sum();
        int del = files.stream().mapToInt(GitRepo.FileChange::deletions).sum();
        o.putObject("stats").put("total", add + del).put("additions", add).put("deletions", del);
        var arr = o.putArray("files");
        files.forEach(f -> arr.add(hub.shapes.issues().diffEntry(repo, sha, f)));
        return Res.ok(o);
    }

    /** Commits GitHub lists in a comparison at most (it then paginates; this does not). */
    private static final int COMPARE_MAX_COMMITS = 250;

    /**
     * {@code BASE...HEAD} (branches, tags or shas; {@code owner:branch} for this repository's owner): the commits
     * of head since the merge base, oldest first, and the files changed from the merge base to head.
     */
    private Res compare(Req r) {
        Repo repo = read(r);
        String basehead = r.p("basehead");
        int dots = basehead.indexOf("...");
        if (dots <= 0 || dots + 3 >= basehead.length()) {
            throw ApiException.notFound();
        }
        String baseName = ownRef(repo, basehead.substring(0, dots));
        String headName = ownRef(repo, basehead.substring(dots + 3));
        String base = repo.git.resolve(baseName).orElseThrow(ApiException::notFound);
        String head = repo.git.resolve(headName).orElseThrow(ApiException::notFound);
        String mergeBase = repo.git.mergeBase(base, head).orElseThrow(() -> new ApiException(404,
                "No common ancestor between " + baseName + " and " + headName + ".", ApiException.DOCS, List.of()));
        List<String> ahead = repo.git.commitsBetween(base, head);
        int behind = repo.git.commitsBetween(head, base).size();
        String status = ahead.isEmpty() && behind == 0 ? "identical" : behind == 0 ? "ahead"
                : ahead.isEmpty() ? "behind" : "diverged";
        String compare = "/compare/" + basehead;
        ObjectNode o = Json.obj();
        o.put("url", hub.shapes.repoUrl(repo) + compare);
        o.put("html_url", hub.shapes.htmlUrl(repo) + compare);
        o.put("permalink_url", hub.shapes.htmlUrl(repo) + "/compare/" + repo.owner.login + ":" + base + "..."
                + repo.owner.login + ":" + head);
        o.put("diff_url", hub.shapes.htmlUrl(repo) + compare + ".diff");
        o.put("patch_url", hub.shapes.htmlUrl(repo) + compare + ".patch");
        o.set("base_commit", repoCommitJson(repo, base));
        o.set("merge_base_commit", repoCommitJson(repo, mergeBase));
        o.put("status", status);
        o.put("ahead_by", ahead.size());
        o.put("behind_by", behind);
        o.put("total_commits", ahead.size());
        var commits = o.putArray("commits");
        ahead.subList(0, Math.min(ahead.size(), COMPARE_MAX_COMMITS)).forEach(sha -> commits.add(repoCommitJson(repo, sha)));
        var files = o.putArray("files");
        repo.git.diff(mergeBase, head).forEach(f -> files.add(hub.shapes.issues().diffEntry(repo, head, f)));
        return Res.ok(o);
    }

    private ObjectNode repoCommitJson(Repo repo, String sha) {
        GitRepo.CommitInfo c = repo.git.commit(sha).orElseThrow();
        return hub.shapes.gitObjects().repoCommit(repo, c, authorAccount(c));
    }

    /** A ref of a comparison: {@code owner:branch} names this repository's branch; another owner's (a fork) is 404. */
    private static String ownRef(Repo repo, String ref) {
        int colon = ref.indexOf(':');
        if (colon < 0) {
            return ref;
        }
        if (!ref.substring(0, colon).equalsIgnoreCase(repo.owner.login)) {
            throw ApiException.notFound();
        }
        return ref.substring(colon + 1);
    }

    private Res getContent(Req r) {
        Repo repo = read(r);
        String ref = r.q("ref").orElse(repo.defaultBranch);
        String sha = repo.git.resolve(ref).orElseThrow(() -> new ApiException(404, "No commit found for the ref " + ref,
                ApiException.DOCS, List.of()));
        String path = stripSlashes(r.p("path"));
        Optional<Map.Entry<String, byte[]>> file = repo.git.file(sha, path);
        if (file.isPresent()) {
            return Res.ok(hub.shapes.gitObjects().contentFile(repo, path, file.get().getKey(), file.get().getValue(), ref,
                    true));
        }
        Optional<List<GitRepo.Entry>> dir = repo.git.tree(sha, true).map(all -> all.stream()
                .filter(e -> e.path().startsWith(path + "/") && e.path().indexOf('/', path.length() + 1) < 0).toList());
        if (dir.isPresent() && !dir.get().isEmpty()) {
            List<ObjectNode> out = new ArrayList<>();
            dir.get().forEach(e -> out.add(hub.shapes.gitObjects().contentEntry(repo, e, ref)));
            var arr = Json.arr();
            out.forEach(arr::add);
            return Res.ok(arr);
        }
        throw ApiException.notFound();
    }

    private static String stripSlashes(String p) {
        String s = p;
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private Res putContent(Req r) {
        Repo repo = write(r);
        JsonNode body = r.json();
        String path = stripSlashes(r.p("path"));
        String message = Checks.text(body, "message").orElseThrow(() -> ApiException.invalid("", "message", "missing_field"));
        String content64 = Checks.text(body, "content").orElseThrow(() -> ApiException.invalid("", "content", "missing_field"));
        byte[] content;
        try {
            content = Base64.getMimeDecoder().decode(content64);
        } catch (IllegalArgumentException e) {
            throw ApiException.unprocessable("content is not valid Base64");
        }
        String branch = Checks.text(body, "branch").orElse(repo.defaultBranch);
        Optional<String> tip = repo.git.branchSha(branch);
        if (tip.isEmpty() && !repo.git.refs(Constants.R_HEADS).isEmpty()) {
            throw new ApiException(404, "Branch " + branch + " not found", ApiException.DOCS, List.of());
        }
        Optional<Map.Entry<String, byte[]>> existing = tip.flatMap(t -> repo.git.file(t, path));
        Optional<String> sha = Checks.text(body, "sha");
        if (existing.isPresent() && sha.isEmpty()) {
            throw ApiException.unprocessable("\"sha\" wasn't supplied.");
        }
        if (existing.isPresent() && !sha.get().equals(existing.get().getKey())) {
            throw ApiException.conflict(path + " does not match " + sha.get());
        }
        Account actor = Hub.actor(r.principal());
        GitRepo.Person who = person(body.get("committer"), actor);
        GitRepo.Person author = body.has("author") ? person(body.get("author"), actor) : who;
        String tree = repo.git.writeTree(tip.flatMap(repo.git::treeOf),
                List.of(new GitRepo.TreeChange(path, "100644", Optional.of(content), Optional.empty())));
        String commit = repo.git.writeCommit(tree, tip.map(List::of).orElse(List.of()), author, who, message);
        String before = tip.orElse(PullRequests.ZERO);
        RefUpdate.Result res = repo.git.updateRef(Constants.R_HEADS + branch, commit, false);
        if (res == RefUpdate.Result.REJECTED || res == RefUpdate.Result.LOCK_FAILURE) {
            throw ApiException.conflict("Branch was modified. Please try again.");
        }
        hub.refUpdated(repo, Constants.R_HEADS + branch, before, commit, actor);
        String blobSha = repo.git.file(commit, path).orElseThrow().getKey();
        ObjectNode out = Json.obj();
        ObjectNode c = hub.shapes.gitObjects().contentFile(repo, path, blobSha, content, branch, false);
        out.set("content", c);
        out.set("commit", hub.shapes.gitObjects().gitCommit(repo, repo.git.commit(commit).orElseThrow()));
        return Res.status(existing.isPresent() ? 200 : 201, out);
    }

    private GitRepo.Person person(JsonNode n, Account fallback) {
        String name = Checks.text(n, "name").orElse(fallback.name);
        String email = Checks.text(n, "email").orElse(fallback.email);
        return new GitRepo.Person(name, email, Checks.text(n, "date").map(java.time.Instant::parse).orElse(hub.now()));
    }

    private Res permission(Req r) {
        Repo repo = read(r);
        Account user = hub.account(r.p("username")).orElseThrow(() -> new ApiException(404,
                r.p("username") + " is not a user", ApiException.DOCS, List.of()));
        String perm = hub.permission(repo, user);
        ObjectNode o = Json.obj();
        String legacy = switch (perm) {
            case "maintain" -> "write";
            case "triage" -> "read";
            default -> perm;
        };
        o.put("permission", legacy);
        o.put("role_name", perm);
        ObjectNode u = hub.shapes.user(user);
        u.set("permissions", Shapes.permissions(perm));
        u.put("role_name", perm);
        o.set("user", u);
        return Res.ok(o);
    }

    // ---- git data

    private Res createBlob(Req r) {
        Repo repo = write(r);
        JsonNode body = r.json();
        String content = Checks.text(body, "content").orElseThrow(() -> ApiException.invalid("Blob", "content", "missing_field"));
        String enc = Checks.text(body, "encoding").orElse("utf-8");
        byte[] bytes = switch (enc) {
            case "utf-8", "utf8" -> content.getBytes(StandardCharsets.UTF_8);
            case "base64" -> Base64.getMimeDecoder().decode(content);
            default -> throw ApiException.invalid("Blob", "encoding", "invalid");
        };
        return Res.created(hub.shapes.gitObjects().shortBlob(repo, repo.git.insertBlob(bytes)));
    }

    private Res getBlob(Req r) {
        Repo repo = read(r);
        String sha = r.p("file_sha");
        byte[] bytes = repo.git.blob(sha).orElseThrow(ApiException::notFound);
        return Res.ok(hub.shapes.gitObjects().blob(repo, sha, bytes));
    }

    private Res createTree(Req r) {
        Repo repo = write(r);
        JsonNode body = r.json();
        JsonNode tree = body.get("tree");
        if (tree == null || !tree.isArray()) {
            throw ApiException.invalid("Tree", "tree", "missing_field");
        }
        Optional<String> base = Checks.text(body, "base_tree");
        if (base.isPresent() && repo.git.tree(base.get(), false).isEmpty()) {
            throw ApiException.unprocessable("base_tree is not a valid tree oid");
        }
        List<GitRepo.TreeChange> changes = new ArrayList<>();
        for (JsonNode e : tree) {
            String path = Checks.text(e, "path").orElseThrow(() -> ApiException.invalid("Tree", "path", "missing_field"));
            String mode = Checks.text(e, "mode").orElse("100644");
            if (!List.of("100644", "100755", "040000", "160000", "120000").contains(mode)) {
                throw ApiException.unprocessable("tree.mode contains a malformed mode: " + mode);
            }
            Optional<String> content = Checks.text(e, "content");
            JsonNode shaNode = e.get("sha");
            if (content.isPresent()) {
                changes.add(new GitRepo.TreeChange(path, mode, Optional.of(content.get().getBytes(StandardCharsets.UTF_8)),
                        Optional.empty()));
            } else if (shaNode != null && shaNode.isNull()) {
                changes.add(new GitRepo.TreeChange(path, mode, Optional.empty(), Optional.empty()));
            } else if (shaNode != null) {
                if (!repo.git.hasObject(shaNode.asString())) {
                    throw ApiException.unprocessable("tree.sha " + shaNode.asString() + " is not a valid blob");
                }
                changes.add(new GitRepo.TreeChange(path, mode, Optional.empty(), Optional.of(shaNode.asString())));
            } else {
                throw ApiException.unprocessable("Must supply either tree.sha or tree.content");
            }
        }
        String sha = repo.git.writeTree(base, changes);
        return Res.created(hub.shapes.gitObjects().tree(repo, sha, repo.git.tree(sha, false).orElseThrow()));
    }

    private Res getTree(Req r) {
        Repo repo = read(r);
        String sha = r.p("tree_sha");
        String resolved = sha.matches("[0-9a-f]{40}") ? sha : repo.git.resolve(sha).orElseThrow(ApiException::notFound);
        boolean recursive = r.q("recursive").filter(v -> !v.isEmpty() && !v.equals("0") && !v.equals("false")).isPresent();
        List<GitRepo.Entry> entries = repo.git.tree(resolved, recursive).orElseThrow(ApiException::notFound);
        String treeSha = repo.git.objectType(resolved) == Constants.OBJ_COMMIT ? repo.git.treeOf(resolved).orElseThrow()
                : resolved;
        return Res.ok(hub.shapes.gitObjects().tree(repo, treeSha, entries));
    }

    private Res createCommit(Req r) {
        Repo repo = write(r);
        JsonNode body = r.json();
        String message = Checks.text(body, "message").orElseThrow(() -> ApiException.invalid("Commit", "message", "missing_field"));
        String tree = Checks.text(body, "tree").orElseThrow(() -> ApiException.invalid("Commit", "tree", "missing_field"));
        if (!repo.git.hasObject(tree) || repo.git.objectType(tree) != Constants.OBJ_TREE) {
            throw ApiException.unprocessable("Tree SHA does not exist");
        }
        List<String> parents = new ArrayList<>();
        JsonNode ps = body.get("parents");
        if (ps != null && ps.isArray()) {
            for (JsonNode p : ps) {
                if (!repo.git.hasObject(p.asString()) || repo.git.objectType(p.asString()) != Constants.OBJ_COMMIT) {
                    throw ApiException.unprocessable("Parent SHA does not exist or is not a commit object");
                }
                parents.add(p.asString());
            }
        }
        Account actor = Hub.actor(r.principal());
        GitRepo.Person author = person(body.get("author"), actor);
        GitRepo.Person committer = body.has("committer") ? person(body.get("committer"), actor) : author;
        String sha = repo.git.writeCommit(tree, parents, author, committer, message);
        return Res.created(hub.shapes.gitObjects().gitCommit(repo, repo.git.commit(sha).orElseThrow()));
    }

    private Res getCommit(Req r) {
        Repo repo = read(r);
        return Res.ok(hub.shapes.gitObjects().gitCommit(repo,
                repo.git.commit(r.p("commit_sha")).orElseThrow(ApiException::notFound)));
    }

    private ObjectNode refJson(Repo repo, Ref ref) {
        String sha = ref.getObjectId().name();
        String type = repo.git.objectType(sha) == Constants.OBJ_TAG ? "tag" : "commit";
        return hub.shapes.gitObjects().ref(repo, ref.getName(), sha, type);
    }

    private Res getRef(Req r) {
        Repo repo = read(r);
        Ref ref = repo.git.ref("refs/" + r.p("ref")).orElseThrow(ApiException::notFound);
        return Res.ok(refJson(repo, ref));
    }

    private Res matchingRefs(Req r) {
        Repo repo = read(r);
        List<ObjectNode> out = new ArrayList<>();
        for (Ref ref : repo.git.refs("refs/" + r.p("ref"))) {
            out.add(refJson(repo, ref));
        }
        return Res.page(out);
    }

    private Res createRef(Req r) {
        Repo repo = write(r);
        JsonNode body = r.json();
        String ref = Checks.text(body, "ref").orElseThrow(() -> ApiException.invalid("Reference", "ref", "missing_field"));
        String sha = Checks.text(body, "sha").orElseThrow(() -> ApiException.invalid("Reference", "sha", "missing_field"));
        if (!ref.startsWith("refs/") || ref.chars().filter(c -> c == '/').count() < 2) {
            throw ApiException.unprocessable("Reference name must start with 'refs/' and have at least two slashes.");
        }
        if (!repo.git.hasObject(sha)) {
            throw ApiException.unprocessable("Object does not exist");
        }
        if (repo.git.ref(ref).isPresent()) {
            throw ApiException.unprocessable("Reference already exists");
        }
        repo.git.updateRef(ref, sha, true);
        hub.refUpdated(repo, ref, PullRequests.ZERO, sha, Hub.actor(r.principal()));
        return Res.created(refJson(repo, repo.git.ref(ref).orElseThrow()));
    }

    private Res updateRef(Req r) {
        Repo repo = write(r);
        JsonNode body = r.json();
        String name = "refs/" + r.p("ref");
        Ref ref = repo.git.ref(name).orElseThrow(() -> ApiException.unprocessable("Reference does not exist"));
        String sha = Checks.text(body, "sha").orElseThrow(() -> ApiException.invalid("Reference", "sha", "missing_field"));
        boolean force = body.path("force").asBoolean(false);
        if (!repo.git.hasObject(sha)) {
            throw ApiException.unprocessable("Object does not exist");
        }
        String before = ref.getObjectId().name();
        if (!force && !repo.git.isAncestor(before, sha)) {
            throw ApiException.unprocessable("Update is not a fast forward");
        }
        repo.git.updateRef(name, sha, true);
        if (!before.equals(sha)) {
            hub.refUpdated(repo, name, before, sha, Hub.actor(r.principal()));
        }
        return Res.ok(refJson(repo, repo.git.ref(name).orElseThrow()));
    }

    private Res deleteRef(Req r) {
        Repo repo = write(r);
        String name = "refs/" + r.p("ref");
        Ref ref = repo.git.ref(name).orElseThrow(() -> ApiException.unprocessable("Reference does not exist"));
        if (name.equals(Constants.R_HEADS + repo.defaultBranch)) {
            throw ApiException.unprocessable("Cannot delete the default branch");
        }
        repo.git.deleteRef(name);
        hub.refUpdated(repo, name, ref.getObjectId().name(), PullRequests.ZERO, Hub.actor(r.principal()));
        return Res.noContent();
    }

    static boolean isApp(Principal p) {
        return p instanceof Principal.AsInstallation;
    }
}
