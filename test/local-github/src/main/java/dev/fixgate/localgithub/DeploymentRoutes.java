package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.App;
import dev.fixgate.localgithub.Model.Deployment;
import dev.fixgate.localgithub.Model.Principal;
import dev.fixgate.localgithub.Model.Repo;
import dev.fixgate.localgithub.Rest.Req;
import dev.fixgate.localgithub.Rest.Res;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The Deployments API: deployments of a commit to an environment, and their statuses (newest first in lists). */
final class DeploymentRoutes {

    private final Hub hub;

    DeploymentRoutes(Hub hub) {
        this.hub = hub;
    }

    void register(Rest rest) {
        rest.post("/repos/{owner}/{repo}/deployments", this::create);
        rest.get("/repos/{owner}/{repo}/deployments", this::list);
        rest.get("/repos/{owner}/{repo}/deployments/{deployment_id}",
                r -> Res.ok(hub.shapes.checks().deployment(read(r), deployment(r), Shapes.Flavor.REST)));
        rest.post("/repos/{owner}/{repo}/deployments/{deployment_id}/statuses", this::createStatus);
        rest.get("/repos/{owner}/{repo}/deployments/{deployment_id}/statuses", this::statuses);
        rest.get("/repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}", this::status);
    }

    private Repo read(Req r) {
        return hub.readable(r.p("owner"), r.p("repo"), r.principal());
    }

    private Deployment deployment(Req r) {
        return hub.deployments.find(read(r), r.id("deployment_id")).orElseThrow(ApiException::notFound);
    }

    private static App app(Principal p) {
        return p instanceof Principal.AsInstallation i ? i.installation().app : null;
    }

    private Res create(Req r) {
        Repo repo = hub.writable(r.p("owner"), r.p("repo"), r.principal());
        JsonNode b = r.json();
        Deployment d = hub.deployments.create(repo, Checks.text(b, "ref").orElse(null),
                Checks.text(b, "task").orElse(null), Checks.text(b, "environment").orElse(null),
                b.has("description") ? Checks.text(b, "description").orElse(null) : "", Deployments.payload(b),
                bool(b, "transient_environment"), bool(b, "production_environment"), Deployments.requiredContexts(b),
                Hub.actor(r.principal()), app(r.principal()));
        return Res.created(hub.shapes.checks().deployment(repo, d, Shapes.Flavor.REST));
    }

    private static Optional<Boolean> bool(JsonNode b, String field) {
        JsonNode n = b.get(field);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asBoolean());
    }

    /** Newest first; filters {@code sha}, {@code ref}, {@code task}, {@code environment}. */
    private Res list(Req r) {
        Repo repo = read(r);
        List<ObjectNode> out = new ArrayList<>();
        for (Deployment d : repo.deployments.reversed()) {
            if (r.q("sha").filter(s -> !s.equals(d.sha)).isPresent() || r.q("ref").filter(s -> !s.equals(d.ref)).isPresent()
                    || r.q("task").filter(s -> !s.equals(d.task)).isPresent()
                    || r.q("environment").filter(s -> !s.equals(d.environment)).isPresent()) {
                continue;
            }
            out.add(hub.shapes.checks().deployment(repo, d, Shapes.Flavor.REST));
        }
        return Res.page(out);
    }

    private Res createStatus(Req r) {
        Repo repo = hub.writable(r.p("owner"), r.p("repo"), r.principal());
        Deployment d = hub.deployments.find(repo, r.id("deployment_id")).orElseThrow(ApiException::notFound);
        JsonNode b = r.json();
        var s = hub.deployments.addStatus(repo, d, Checks.text(b, "state").orElse(null),
                Checks.text(b, "description").orElse(null), Checks.text(b, "environment").orElse(null),
                Checks.text(b, "target_url").orElse(null), Checks.text(b, "log_url").orElse(null),
                Checks.text(b, "environment_url").orElse(null), Hub.actor(r.principal()), app(r.principal()));
        return Res.created(hub.shapes.checks().deploymentStatus(repo, d, s, Shapes.Flavor.REST));
    }

    private Res statuses(Req r) {
        Repo repo = read(r);
        Deployment d = deployment(r);
        List<ObjectNode> out = new ArrayList<>();
        d.statuses.reversed()
                .forEach(s -> out.add(hub.shapes.checks().deploymentStatus(repo, d, s, Shapes.Flavor.REST)));
        return Res.page(out);
    }

    private Res status(Req r) {
        Repo repo = read(r);
        Deployment d = deployment(r);
        long id = r.id("status_id");
        return Res.ok(hub.shapes.checks().deploymentStatus(repo, d,
                d.statuses.stream().filter(s -> s.id == id).findFirst().orElseThrow(ApiException::notFound),
                Shapes.Flavor.REST));
    }
}
