package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.App;
import dev.fixgate.localgithub.Model.Repo;

/**
 * A repository's CI, scripted: a green or red check run (reported as the "local-ci" GitHub App, so it creates a
 * check suite like a real CI app) or commit status. Both emit the webhooks GitHub would.
 */
public final class Ci {

    private final Hub hub;
    private final String owner;
    private final String repo;

    Ci(Hub hub, String owner, String repo) {
        this.hub = hub;
        this.owner = owner;
        this.repo = repo;
    }

    private Repo r() {
        return hub.repo(owner, repo).orElseThrow();
    }

    /** A completed check run named {@code name} on {@code sha}: conclusion success when green, failure when red. */
    public long checkRun(String sha, String name, boolean green) {
        synchronized (hub) {
            App ci = hub.apps.get(LocalGitHub.CI_APP_ID);
            var body = Json.obj();
            body.put("name", name);
            body.put("head_sha", sha);
            body.put("status", "completed");
            body.put("conclusion", green ? "success" : "failure");
            body.putObject("output").put("title", green ? "All checks passed" : "Checks failed")
                    .put("summary", green ? "green" : "red");
            return hub.checks.createRun(r(), ci, body).id;
        }
    }

    /** A check run that has started and not finished. */
    public long checkRunInProgress(String sha, String name) {
        synchronized (hub) {
            App ci = hub.apps.get(LocalGitHub.CI_APP_ID);
            var body = Json.obj();
            body.put("name", name);
            body.put("head_sha", sha);
            body.put("status", "in_progress");
            return hub.checks.createRun(r(), ci, body).id;
        }
    }

    /**
     * A deployment of {@code sha} to {@code environment} by the CI, as a deploy job reports it: the deployment
     * ({@code deployment.created}), an {@code in_progress} status, then {@code success} when it worked or
     * {@code failure} when not (two {@code deployment_status.created}). Returns the deployment's id.
     */
    public long deploy(String sha, String environment, boolean success) {
        synchronized (hub) {
            App ci = hub.apps.get(LocalGitHub.CI_APP_ID);
            Repo repo = r();
            Model.Deployment d = hub.deployments.create(repo, sha, "deploy", environment, "deploy " + sha.substring(0,
                    Math.min(7, sha.length())), Json.obj(), java.util.Optional.empty(), java.util.Optional.empty(),
                    java.util.Optional.of(java.util.List.of()), ci.bot, ci);
            hub.deployments.addStatus(repo, d, "in_progress", "deploying", null, "", "", "", ci.bot, ci);
            hub.deployments.addStatus(repo, d, success ? "success" : "failure", success ? "deployed" : "deploy failed",
                    null, "", "", "", ci.bot, ci);
            return d.id;
        }
    }

    /** A commit status {@code context} on {@code sha}: success when green, failure when red. */
    public void status(String sha, String context, boolean green) {
        synchronized (hub) {
            App ci = hub.apps.get(LocalGitHub.CI_APP_ID);
            hub.checks.createStatus(r(), sha, green ? "success" : "failure", null, green ? "passed" : "failed", context,
                    ci.bot);
        }
    }
}
