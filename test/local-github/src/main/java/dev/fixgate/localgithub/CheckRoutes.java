package dev.fixgate.localgithub;

import dev.fixgate.localgithub.Model.CheckRun;
import dev.fixgate.localgithub.Model.CheckSuite;
import dev.fixgate.localgithub.Model.CommitStatus;
import dev.fixgate.localgithub.Model.Principal;
import dev.fixgate.localgithub.Model.Repo;
import dev.fixgate.localgithub.Rest.Req;
import dev.fixgate.localgithub.Rest.Res;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Commit statuses, the combined status, check runs and check suites. */
final class CheckRoutes {

    private final Hub hub;

    CheckRoutes(Hub hub) {
        this.hub = hub;
    }

    void register(Rest rest) {
        rest.post("/repos/{owner}/{repo}/statuses/{sha}", this::createStatus);
        rest.get("/repos/{owner}/{repo}/commits/{ref}/statuses", this::statuses);
        // hub4j's getLastCommitStatus() uses the older alias; GitHub still answers it the same way.
        rest.add("GET", "/repos/{owner}/{repo}/statuses/{ref}", "/repos/{owner}/{repo}/commits/{ref}/statuses",
                Rest.Auth.ANY, this::statuses);
        rest.get("/repos/{owner}/{repo}/commits/{ref}/status", this::combined);
        rest.post("/repos/{owner}/{repo}/check-runs", this::createRun);
        rest.get("/repos/{owner}/{repo}/check-runs/{check_run_id}", r -> Res.ok(hub.checks.runJson(read(r), run(r), Shapes.Flavor.REST)));
        rest.patch("/repos/{owner}/{repo}/check-runs/{check_run_id}", this::updateRun);
        rest.get("/repos/{owner}/{repo}/commits/{ref}/check-runs", this::runsForRef);
        rest.get("/repos/{owner}/{repo}/commits/{ref}/check-suites", this::suitesForRef);
        rest.get("/repos/{owner}/{repo}/check-suites/{check_suite_id}", this::suite);
    }

    private Repo read(Req r) {
        return hub.readable(r.p("owner"), r.p("repo"), r.principal());
    }

    private CheckRun run(Req r) {
        return hub.checks.findRun(read(r), r.id("check_run_id")).orElseThrow(ApiException::notFound);
    }

    private String sha(Repo repo, String ref) {
        return repo.git.resolve(ref).orElseThrow(() -> ApiException.unprocessable("No commit found for SHA: " + ref));
    }

    private Res createStatus(Req r) {
        Repo repo = hub.writable(r.p("owner"), r.p("repo"), r.principal());
        JsonNode b = r.json();
        CommitStatus s = hub.checks.createStatus(repo, r.p("sha"), Checks.text(b, "state").orElse(null),
                Checks.text(b, "target_url").orElse(null), Checks.text(b, "description").orElse(null),
                Checks.text(b, "context").orElse(null), Hub.actor(r.principal()));
        return Res.created(hub.shapes.checks().status(repo, s, false));
    }

    private Res statuses(Req r) {
        Repo repo = read(r);
        List<ObjectNode> out = new ArrayList<>();
        hub.checks.statuses(repo, sha(repo, r.p("ref")))
                .forEach(s -> out.add(hub.shapes.checks().status(repo, s, false)));
        return Res.page(out);
    }

    private Res combined(Req r) {
        Repo repo = read(r);
        return Res.ok(hub.checks.combined(repo, sha(repo, r.p("ref"))));
    }

    private Res createRun(Req r) {
        Repo repo = read(r);
        if (!(r.principal() instanceof Principal.AsInstallation i)) {
            throw ApiException.forbidden("You must authenticate via a GitHub App.");
        }
        hub.requireWrite(repo, r.principal());
        CheckRun run = hub.checks.createRun(repo, i.installation().app, r.json());
        return Res.created(hub.checks.runJson(repo, run, Shapes.Flavor.REST));
    }

    private Res updateRun(Req r) {
        Repo repo = read(r);
        CheckRun run = run(r);
        if (!(r.principal() instanceof Principal.AsInstallation i) || i.installation().app != run.suite.app) {
            throw ApiException.forbidden("Invalid app_id `" + run.suite.app.id + "` - check run can only be modified by"
                    + " the GitHub App that created it.");
        }
        hub.checks.updateRun(repo, run, r.json());
        return Res.ok(hub.checks.runJson(repo, run, Shapes.Flavor.REST));
    }

    private Res runsForRef(Req r) {
        Repo repo = read(r);
        String sha = sha(repo, r.p("ref"));
        Optional<String> status = r.q("status");
        List<CheckRun> runs = hub.checks.runsFor(repo, sha, r.q("check_name"));
        if (!r.q("filter").filter("all"::equals).isPresent()) {
            List<CheckRun> latest = new ArrayList<>();
            for (CheckRun c : runs) {
                if (latest.stream().noneMatch(x -> x.name.equals(c.name) && x.suite.app == c.suite.app)) {
                    latest.add(c);
                }
            }
            runs = latest;
        }
        List<ObjectNode> out = new ArrayList<>();
        for (CheckRun c : runs) {
            if (status.isEmpty() || status.get().equals(c.status)) {
                out.add(hub.checks.runJson(repo, c, Shapes.Flavor.REST));
            }
        }
        return Res.wrappedPage("check_runs", out);
    }

    private Res suitesForRef(Req r) {
        Repo repo = read(r);
        String sha = sha(repo, r.p("ref"));
        List<ObjectNode> out = new ArrayList<>();
        for (CheckSuite s : repo.suites) {
            if (s.headSha.equals(sha)) {
                out.add(hub.shapes.checks().checkSuite(repo, s, hub.checks.pullsFor(repo, sha), Shapes.Flavor.REST));
            }
        }
        return Res.wrappedPage("check_suites", out);
    }

    private Res suite(Req r) {
        Repo repo = read(r);
        long id = r.id("check_suite_id");
        for (CheckSuite s : repo.suites) {
            if (s.id == id) {
                return Res.ok(hub.shapes.checks().checkSuite(repo, s, hub.checks.pullsFor(repo, s.headSha),
                        Shapes.Flavor.REST));
            }
        }
        throw ApiException.notFound();
    }
}
