package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.Repo;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON shapes of git objects and what the repos API builds on them: commits (git and repos API flavours), refs,
 * trees, blobs, contents, branches and the commits of push payloads. Apart from {@link Shapes} to keep that one
 * readable; the field lists follow api.github.com's OpenAPI description, as there.
 */
final class GitShapes {

    private final Shapes shapes;
    private final String web;

    GitShapes(Shapes shapes, String web) {
        this.shapes = shapes;
        this.web = web;
    }

    ObjectNode gitCommit(Repo r, GitRepo.CommitInfo c) {
        ObjectNode o = Json.obj();
        o.put("sha", c.sha());
        o.put("node_id", Shapes.nodeId("C", c.sha().hashCode() & 0xffffffffL));
        o.put("url", shapes.repoUrl(r) + "/git/commits/" + c.sha());
        o.put("html_url", shapes.htmlUrl(r) + "/commit/" + c.sha());
        o.set("author", person(c.author()));
        o.set("committer", person(c.committer()));
        ObjectNode tree = o.putObject("tree");
        tree.put("sha", c.tree());
        tree.put("url", shapes.repoUrl(r) + "/git/trees/" + c.tree());
        o.put("message", c.message());
        ArrayNode parents = o.putArray("parents");
        for (String p : c.parents()) {
            ObjectNode x = parents.addObject();
            x.put("sha", p);
            x.put("url", shapes.repoUrl(r) + "/git/commits/" + p);
            x.put("html_url", shapes.htmlUrl(r) + "/commit/" + p);
        }
        o.set("verification", unsigned());
        return o;
    }

    private static ObjectNode unsigned() {
        ObjectNode v = Json.obj();
        v.put("verified", false);
        v.put("reason", "unsigned");
        v.putNull("signature");
        v.putNull("payload");
        v.putNull("verified_at");
        return v;
    }

    static ObjectNode person(GitRepo.Person p) {
        ObjectNode o = Json.obj();
        o.put("name", p.name());
        o.put("email", p.email());
        o.put("date", Json.time(p.when()));
        return o;
    }

    /** The "commit" resource of the repos API (used in branches and the commits endpoint). */
    ObjectNode repoCommit(Repo r, GitRepo.CommitInfo c, Account authorAccount) {
        ObjectNode o = Json.obj();
        String u = shapes.repoUrl(r) + "/commits/" + c.sha();
        o.put("url", u);
        o.put("sha", c.sha());
        o.put("node_id", Shapes.nodeId("C", c.sha().hashCode() & 0xffffffffL));
        o.put("html_url", shapes.htmlUrl(r) + "/commit/" + c.sha());
        o.put("comments_url", u + "/comments");
        ObjectNode commit = o.putObject("commit");
        commit.put("url", shapes.repoUrl(r) + "/git/commits/" + c.sha());
        commit.set("author", person(c.author()));
        commit.set("committer", person(c.committer()));
        commit.put("message", c.message());
        commit.put("comment_count", 0);
        ObjectNode tree = commit.putObject("tree");
        tree.put("sha", c.tree());
        tree.put("url", shapes.repoUrl(r) + "/git/trees/" + c.tree());
        commit.set("verification", unsigned());
        if (authorAccount == null) {
            o.putNull("author");
            o.putNull("committer");
        } else {
            o.set("author", shapes.user(authorAccount));
            o.set("committer", shapes.user(authorAccount));
        }
        ArrayNode parents = o.putArray("parents");
        for (String p : c.parents()) {
            ObjectNode x = parents.addObject();
            x.put("sha", p);
            x.put("url", shapes.repoUrl(r) + "/commits/" + p);
            x.put("html_url", shapes.htmlUrl(r) + "/commit/" + p);
        }
        return o;
    }

    ObjectNode ref(Repo r, String fullName, String sha, String type) {
        ObjectNode o = Json.obj();
        o.put("ref", fullName);
        o.put("node_id", Shapes.nodeId("REF", (r.id + fullName).hashCode() & 0xffffffffL));
        o.put("url", shapes.repoUrl(r) + "/git/" + fullName);
        ObjectNode obj = o.putObject("object");
        obj.put("type", type);
        obj.put("sha", sha);
        obj.put("url", shapes.repoUrl(r) + "/git/" + type + "s/" + sha);
        return o;
    }

    ObjectNode tree(Repo r, String sha, List<GitRepo.Entry> entries) {
        ObjectNode o = Json.obj();
        o.put("sha", sha);
        o.put("url", shapes.repoUrl(r) + "/git/trees/" + sha);
        ArrayNode a = o.putArray("tree");
        for (GitRepo.Entry e : entries) {
            ObjectNode x = a.addObject();
            x.put("path", e.path());
            x.put("mode", e.mode());
            x.put("type", e.type());
            x.put("sha", e.sha());
            if (e.type().equals("blob")) {
                x.put("size", e.size());
            }
            x.put("url", shapes.repoUrl(r) + "/git/" + e.type() + "s/" + e.sha());
        }
        o.put("truncated", false);
        return o;
    }

    ObjectNode blob(Repo r, String sha, byte[] content) {
        ObjectNode o = Json.obj();
        o.put("sha", sha);
        o.put("node_id", Shapes.nodeId("B", sha.hashCode() & 0xffffffffL));
        o.put("size", content.length);
        o.put("url", shapes.repoUrl(r) + "/git/blobs/" + sha);
        o.put("content", Base64.getMimeEncoder(60, new byte[] {'\n'}).encodeToString(content) + "\n");
        o.put("encoding", "base64");
        return o;
    }

    ObjectNode shortBlob(Repo r, String sha) {
        ObjectNode o = Json.obj();
        o.put("url", shapes.repoUrl(r) + "/git/blobs/" + sha);
        o.put("sha", sha);
        return o;
    }

    ObjectNode contentFile(Repo r, String path, String sha, byte[] content, String ref, boolean withContent) {
        ObjectNode o = Json.obj();
        String name = path.substring(path.lastIndexOf('/') + 1);
        String self = shapes.repoUrl(r) + "/contents/" + path + "?ref=" + ref;
        o.put("type", "file");
        if (withContent) {
            o.put("encoding", "base64");
        }
        o.put("size", content.length);
        o.put("name", name);
        o.put("path", path);
        if (withContent) {
            o.put("content", Base64.getMimeEncoder(60, new byte[] {'\n'}).encodeToString(content) + "\n");
        }
        o.put("sha", sha);
        o.put("url", self);
        o.put("git_url", shapes.repoUrl(r) + "/git/blobs/" + sha);
        o.put("html_url", shapes.htmlUrl(r) + "/blob/" + ref + "/" + path);
        o.put("download_url", web + "/raw/" + r.fullName() + "/" + ref + "/" + path);
        ObjectNode links = o.putObject("_links");
        links.put("self", self);
        links.put("git", shapes.repoUrl(r) + "/git/blobs/" + sha);
        links.put("html", shapes.htmlUrl(r) + "/blob/" + ref + "/" + path);
        return o;
    }

    ObjectNode contentEntry(Repo r, GitRepo.Entry e, String ref) {
        ObjectNode o = Json.obj();
        String self = shapes.repoUrl(r) + "/contents/" + e.path() + "?ref=" + ref;
        o.put("type", e.type().equals("tree") ? "dir" : "file");
        o.put("size", e.size());
        o.put("name", e.path().substring(e.path().lastIndexOf('/') + 1));
        o.put("path", e.path());
        o.put("sha", e.sha());
        o.put("url", self);
        o.put("git_url", shapes.repoUrl(r) + "/git/" + e.type() + "s/" + e.sha());
        o.put("html_url", shapes.htmlUrl(r) + "/" + (e.type().equals("tree") ? "tree" : "blob") + "/" + ref + "/" + e.path());
        if (e.type().equals("tree")) {
            o.putNull("download_url");
        } else {
            o.put("download_url", web + "/raw/" + r.fullName() + "/" + ref + "/" + e.path());
        }
        ObjectNode links = o.putObject("_links");
        links.put("self", self);
        links.put("git", o.get("git_url").asString());
        links.put("html", o.get("html_url").asString());
        return o;
    }

    ObjectNode branch(Repo r, String name, ObjectNode commit, Model.Protection p, boolean full) {
        ObjectNode o = Json.obj();
        o.put("name", name);
        o.set("commit", commit);
        if (full) {
            ObjectNode links = o.putObject("_links");
            links.put("self", shapes.repoUrl(r) + "/branches/" + name);
            links.put("html", shapes.htmlUrl(r) + "/tree/" + name);
        }
        o.put("protected", p != null);
        ObjectNode prot = o.putObject("protection");
        prot.put("enabled", p != null);
        ObjectNode rsc = prot.putObject("required_status_checks");
        rsc.put("enforcement_level", p == null || p.requiredContexts.isEmpty() ? "off" : "non_admins");
        ArrayNode contexts = rsc.putArray("contexts");
        ArrayNode checks = rsc.putArray("checks");
        if (p != null) {
            for (String c : p.requiredContexts) {
                contexts.add(c);
                checks.addObject().put("context", c).putNull("app_id");
            }
        }
        o.put("protection_url", shapes.repoUrl(r) + "/branches/" + name + "/protection");
        if (full && p != null) {
            o.put("required_approving_review_count", p.requiredApprovingReviewCount);
        }
        return o;
    }

    ObjectNode headCommit(GitRepo.CommitInfo c) {
        ObjectNode o = Json.obj();
        o.put("id", c.sha());
        o.put("tree_id", c.tree());
        o.put("message", c.message());
        o.put("timestamp", Json.time(c.committer().when()));
        ObjectNode a = o.putObject("author");
        a.put("name", c.author().name());
        a.put("email", c.author().email());
        ObjectNode cm = o.putObject("committer");
        cm.put("name", c.committer().name());
        cm.put("email", c.committer().email());
        return o;
    }

    /** A commit in a push payload. */
    ObjectNode pushCommit(Repo r, GitRepo.CommitInfo c, Map<String, List<String>> paths) {
        ObjectNode o = Json.obj();
        o.put("id", c.sha());
        o.put("tree_id", c.tree());
        o.put("distinct", true);
        o.put("message", c.message());
        o.put("timestamp", Json.time(c.committer().when()));
        o.put("url", shapes.htmlUrl(r) + "/commit/" + c.sha());
        ObjectNode a = o.putObject("author");
        a.put("name", c.author().name());
        a.put("email", c.author().email());
        ObjectNode cm = o.putObject("committer");
        cm.put("name", c.committer().name());
        cm.put("email", c.committer().email());
        for (String k : List.of("added", "removed", "modified")) {
            ArrayNode x = o.putArray(k);
            paths.getOrDefault(k, List.of()).forEach(x::add);
        }
        return o;
    }
}
