package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.CheckRun;
import dev.fixgate.localgithub.Model.CheckSuite;
import dev.fixgate.localgithub.Model.CommitStatus;
import dev.fixgate.localgithub.Model.Issue;
import dev.fixgate.localgithub.Model.Pull;
import dev.fixgate.localgithub.Model.Repo;
import dev.fixgate.localgithub.Shapes.Flavor;
import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON shapes of what CI reports on a commit: commit statuses, check runs and suites, deployments and their
 * statuses. Apart from {@link Shapes} to keep that one readable; the REST and webhook flavours follow
 * api.github.com's OpenAPI description and {@code @octokit/webhooks-schemas}, as there.
 */
final class CheckShapes {

    private final Shapes shapes;
    private final String web;

    CheckShapes(Shapes shapes, String web) {
        this.shapes = shapes;
        this.web = web;
    }

    ObjectNode status(Repo r, CommitStatus s, boolean simple) {
        ObjectNode o = Json.obj();
        o.put("url", shapes.repoUrl(r) + "/statuses/" + s.sha);
        o.put("avatar_url", web + "/avatars/" + Shapes.urlPart(s.creator.login));
        o.put("id", s.id);
        o.put("node_id", Shapes.nodeId("SC", s.id));
        o.put("state", s.state);
        Json.putOrNull(o, "description", s.description);
        Json.putOrNull(o, "target_url", s.targetUrl);
        o.put("context", s.context);
        Json.putTime(o, "created_at", s.createdAt);
        Json.putTime(o, "updated_at", s.createdAt);
        if (!simple) {
            o.set("creator", shapes.user(s.creator));
        }
        return o;
    }

    ObjectNode checkRun(Repo r, CheckRun c, List<ObjectNode> pullRequests, Flavor f) {
        ObjectNode o = Json.obj();
        o.put("id", c.id);
        o.put("name", c.name);
        o.put("node_id", Shapes.nodeId("CR", c.id));
        o.put("head_sha", c.headSha);
        Json.putOrNull(o, "external_id", c.externalId == null ? "" : c.externalId);
        o.put("url", shapes.repoUrl(r) + "/check-runs/" + c.id);
        o.put("html_url", shapes.htmlUrl(r) + "/runs/" + c.id);
        Json.putOrNull(o, "details_url", c.detailsUrl == null ? shapes.htmlUrl(r) + "/runs/" + c.id : c.detailsUrl);
        o.put("status", c.status);
        Json.putOrNull(o, "conclusion", c.conclusion);
        Json.putTime(o, "started_at", c.startedAt);
        Json.putTime(o, "completed_at", c.completedAt);
        ObjectNode out = o.putObject("output");
        Json.putOrNull(out, "title", c.outputTitle);
        Json.putOrNull(out, "summary", c.outputSummary);
        Json.putOrNull(out, "text", c.outputText);
        out.put("annotations_count", 0);
        out.put("annotations_url", shapes.repoUrl(r) + "/check-runs/" + c.id + "/annotations");
        if (f == Flavor.REST) {
            o.putObject("check_suite").put("id", c.suite.id);
        } else {
            o.set("check_suite", checkSuite(r, c.suite, pullRequests, f));
        }
        o.set("app", shapes.app(c.suite.app, f));
        ArrayNode prs = o.putArray("pull_requests");
        pullRequests.forEach(prs::add);
        return o;
    }

    /** The minimal pull request reference inside check runs and suites. */
    ObjectNode checkPull(Issue i, String baseSha) {
        Pull p = i.pull.orElseThrow();
        ObjectNode o = Json.obj();
        o.put("url", shapes.issues().pullUrl(i));
        o.put("id", p.id);
        o.put("number", i.number);
        o.set("head", checkPullEnd(i.repo, p.headRef, p.headSha));
        o.set("base", checkPullEnd(i.repo, p.baseRef, baseSha));
        return o;
    }

    private ObjectNode checkPullEnd(Repo r, String ref, String sha) {
        ObjectNode o = Json.obj();
        o.put("ref", ref);
        o.put("sha", sha);
        ObjectNode repo = o.putObject("repo");
        repo.put("id", r.id);
        repo.put("url", shapes.repoUrl(r));
        repo.put("name", r.name);
        return o;
    }

    ObjectNode checkSuite(Repo r, CheckSuite s, List<ObjectNode> pullRequests, Flavor f) {
        ObjectNode o = Json.obj();
        o.put("id", s.id);
        o.put("node_id", Shapes.nodeId("CS", s.id));
        Json.putOrNull(o, "head_branch", s.headBranch);
        o.put("head_sha", s.headSha);
        o.put("status", Hub.suiteStatus(s));
        Json.putOrNull(o, "conclusion", Hub.suiteConclusion(s));
        o.put("url", shapes.repoUrl(r) + "/check-suites/" + s.id);
        Json.putOrNull(o, "before", s.before);
        o.put("after", s.headSha);
        ArrayNode prs = o.putArray("pull_requests");
        pullRequests.forEach(prs::add);
        o.set("app", shapes.app(s.app, f));
        Json.putTime(o, "created_at", s.createdAt);
        Json.putTime(o, "updated_at", s.updatedAt);
        if (f == Flavor.REST) {
            o.set("repository", shapes.repository(r, Flavor.REST, 0, null));
            o.set("head_commit", shapes.gitObjects().headCommit(r.git.commit(s.headSha).orElseThrow()));
            o.put("latest_check_runs_count", s.runs.size());
            o.put("check_runs_url", shapes.repoUrl(r) + "/check-suites/" + s.id + "/check-runs");
            o.put("rerequestable", true);
            o.put("runs_rerequestable", true);
        }
        return o;
    }

    /** A deployment: the same fields in REST answers and webhooks (the webhook schema forbids any other). */
    ObjectNode deployment(Repo r, Model.Deployment d, Flavor f) {
        ObjectNode o = Json.obj();
        String u = shapes.repoUrl(r) + "/deployments/" + d.id;
        o.put("url", u);
        o.put("id", d.id);
        o.put("node_id", Shapes.nodeId("DE", d.id));
        o.put("sha", d.sha);
        o.put("ref", d.ref);
        o.put("task", d.task);
        o.set("payload", d.payload.deepCopy());
        o.put("original_environment", d.environment);
        o.put("environment", d.environment);
        Json.putOrNull(o, "description", d.description);
        o.set("creator", shapes.user(d.creator));
        Json.putTime(o, "created_at", d.createdAt);
        Json.putTime(o, "updated_at", d.updatedAt);
        o.put("statuses_url", u + "/statuses");
        o.put("repository_url", shapes.repoUrl(r));
        o.put("transient_environment", d.transientEnvironment);
        o.put("production_environment", d.productionEnvironment);
        if (d.app != null) {
            o.set("performed_via_github_app", shapes.app(d.app, f));
        } else {
            o.putNull("performed_via_github_app");
        }
        return o;
    }

    ObjectNode deploymentStatus(Repo r, Model.Deployment d, Model.DeploymentStatus s, Flavor f) {
        ObjectNode o = Json.obj();
        String deployment = shapes.repoUrl(r) + "/deployments/" + d.id;
        o.put("url", deployment + "/statuses/" + s.id);
        o.put("id", s.id);
        o.put("node_id", Shapes.nodeId("DES", s.id));
        o.put("state", s.state);
        o.set("creator", shapes.user(s.creator));
        o.put("description", s.description);
        o.put("environment", s.environment);
        o.put("target_url", s.targetUrl);
        if (!s.logUrl.isEmpty()) {
            o.put("log_url", s.logUrl);
        }
        if (!s.environmentUrl.isEmpty() || f == Flavor.WEBHOOK) {
            o.put("environment_url", s.environmentUrl); // REST describes it as a URI: absent rather than ""
        }
        Json.putTime(o, "created_at", s.createdAt);
        Json.putTime(o, "updated_at", s.createdAt);
        o.put("deployment_url", deployment);
        o.put("repository_url", shapes.repoUrl(r));
        if (s.app != null) {
            o.set("performed_via_github_app", shapes.app(s.app, f));
        } else {
            o.putNull("performed_via_github_app");
        }
        return o;
    }
}
