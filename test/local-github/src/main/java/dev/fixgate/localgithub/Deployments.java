package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.Account;
import dev.fixgate.localgithub.Model.App;
import dev.fixgate.localgithub.Model.CommitStatus;
import dev.fixgate.localgithub.Model.Deployment;
import dev.fixgate.localgithub.Model.DeploymentStatus;
import dev.fixgate.localgithub.Model.Repo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Deployments and their statuses, as GitHub's Deployments API keeps them, with the {@code deployment} and
 * {@code deployment_status} webhooks GitHub sends when one is created. A deployment is made only when the commit's
 * required status contexts are green (all of its commit statuses when {@code required_contexts} is absent, none when
 * it is an empty list): otherwise {@code 409} as GitHub answers.
 */
final class Deployments {

    /** The states a deployment status can be created with. */
    static final List<String> STATES = List.of("error", "failure", "inactive", "in_progress", "queued", "pending",
            "success");

    private final Hub hub;

    Deployments(Hub hub) {
        this.hub = hub;
    }

    /**
     * Creates a deployment of {@code ref} (a branch, tag or sha) and emits {@code deployment.created}.
     *
     * @param requiredContexts the status contexts that must be {@code success} on the commit; empty: the check is
     *                         skipped; absent: every context of the commit's statuses
     */
    Deployment create(Repo r, String ref, String task, String environment, String description, ObjectNode payload,
                      Optional<Boolean> transientEnvironment, Optional<Boolean> productionEnvironment,
                      Optional<List<String>> requiredContexts, Account creator, App app) {
        if (ref == null || ref.isBlank()) {
            throw ApiException.invalid("Deployment", "ref", "missing_field");
        }
        String sha = r.git.resolve(ref).orElseThrow(() -> ApiException.invalidCustom("Deployment",
                "No ref found for: " + ref));
        // the latest status per context decides, as the combined status does
        Map<String, String> latest = new LinkedHashMap<>();
        for (CommitStatus s : r.statuses) {
            if (s.sha.equals(sha)) {
                latest.put(s.context, s.state);
            }
        }
        List<String> required = requiredContexts.orElse(List.copyOf(latest.keySet()));
        List<String> failing = required.stream().filter(c -> !"success".equals(latest.get(c))).toList();
        if (!failing.isEmpty()) {
            throw ApiException.conflict("Conflict: Commit status checks failed for " + ref + ".");
        }
        String env = environment == null || environment.isBlank() ? "production" : environment;
        Deployment d = new Deployment(hub.nextId(), sha, ref, task == null || task.isBlank() ? "deploy" : task, env,
                description, payload == null ? Json.obj() : payload, transientEnvironment.orElse(false),
                productionEnvironment.orElse(env.equals("production")), creator, app, hub.now());
        r.deployments.add(d);
        hub.emit(r, "deployment", "created", creator, p -> {
            p.set("deployment", hub.shapes.checks().deployment(r, d, Shapes.Flavor.WEBHOOK));
            p.putNull("workflow");
            p.putNull("workflow_run");
        });
        return d;
    }

    /** Adds a status to {@code d} and emits {@code deployment_status.created}. */
    DeploymentStatus addStatus(Repo r, Deployment d, String state, String description, String environment,
                               String targetUrl, String logUrl, String environmentUrl, Account creator, App app) {
        if (state == null || !STATES.contains(state)) {
            throw ApiException.invalid("DeploymentStatus", "state", state == null ? "missing_field" : "invalid");
        }
        String desc = description == null ? "" : description;
        if (desc.length() > 140) {
            throw ApiException.invalid("DeploymentStatus", "description", "invalid");
        }
        String env = environment == null || environment.isBlank()
                ? d.statuses.isEmpty() ? d.environment : d.statuses.getLast().environment : environment;
        String log = logUrl == null ? "" : logUrl;
        // log_url replaces target_url: setting it sets both
        // GitHub's description makes target_url a required URI, so a status created without one points at the
        // repository's deployments page rather than answering ""
        String target = !log.isEmpty() ? log : targetUrl != null && !targetUrl.isEmpty() ? targetUrl
                : hub.shapes.htmlUrl(r) + "/deployments";
        DeploymentStatus s = new DeploymentStatus(hub.nextId(), state, desc, env, target, log,
                environmentUrl == null ? "" : environmentUrl, creator, app, hub.now());
        d.statuses.add(s);
        d.updatedAt = s.createdAt;
        hub.emit(r, "deployment_status", "created", creator, p -> {
            p.set("deployment_status", hub.shapes.checks().deploymentStatus(r, d, s, Shapes.Flavor.WEBHOOK));
            p.set("deployment", hub.shapes.checks().deployment(r, d, Shapes.Flavor.WEBHOOK));
        });
        return s;
    }

    Optional<Deployment> find(Repo r, long id) {
        return r.deployments.stream().filter(d -> d.id == id).findFirst();
    }

    /** The request body's {@code required_contexts}: absent, or the list given (possibly empty). */
    static Optional<List<String>> requiredContexts(JsonNode body) {
        JsonNode n = body.get("required_contexts");
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isArray()) {
            throw ApiException.invalid("Deployment", "required_contexts", "invalid");
        }
        List<String> out = new java.util.ArrayList<>();
        n.forEach(c -> out.add(c.asString()));
        return Optional.of(out);
    }

    /** {@code payload}: an object, a JSON string holding one, or absent (an empty object). */
    static ObjectNode payload(JsonNode body) {
        JsonNode n = body.get("payload");
        if (n == null || n.isNull()) {
            return Json.obj();
        }
        if (n.isObject()) {
            return (ObjectNode) n;
        }
        if (n.isString()) {
            if (n.asString().isBlank()) {
                return Json.obj();
            }
            try {
                JsonNode parsed = Json.MAPPER.readTree(n.asString());
                if (parsed.isObject()) {
                    return (ObjectNode) parsed;
                }
            } catch (RuntimeException e) {
                // falls through to the validation error
            }
        }
        throw ApiException.invalid("Deployment", "payload", "invalid");
    }
}
