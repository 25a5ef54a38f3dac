package dev.fixgate.app.cli;

import dev.fixgate.app.json.Json;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.VerificationStore;
import dev.fixgate.app.store.VerifyStore;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fixgate verify status}: where each merged fix is in its verification after merge, from the store. */
@Command(name = "verify", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = "Verification after merge: each merged fix's steps (code, cloud, finding source), drift,"
                + " escalations and recurrences.",
        subcommands = {VerifyCommand.Status.class})
final class VerifyCommand extends DatabaseCommand {

    @Command(name = "status", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
            description = "Each merged fix under verification, oldest merge first: its state, deadline, deploy signal"
                    + " and the last outcome of each step; then the recurrences.")
    static final class Status extends DatabaseSubcommand {

        @Option(names = "--repo", paramLabel = "OWNER/NAME", description = "Only this repository.")
        String repo;

        @Option(names = "--json", description = "One JSON object: fixes (with their steps) and recurrences.")
        boolean json;

        @Override
        int run(AppContext ctx) {
            VerifyStore store = new VerifyStore(ctx.database());
            VerificationStore checks = new VerificationStore(ctx.database());
            RemediationStore remediations = new RemediationStore(ctx.database());
            List<VerifyStore.Track> tracks = repo == null ? store.all() : store.inRepo(repo);
            List<VerifyStore.Recurrence> recurrences = repo == null ? store.recurrences() : store.recurrences(repo);
            List<Map<String, Object>> fixes = new ArrayList<>();
            for (VerifyStore.Track t : tracks) {
                Map<String, Object> steps = new LinkedHashMap<>();
                for (VerificationStore.Verification v : checks.of(t.remediationId())) {
                    steps.put(v.method(), v.detail().isEmpty() ? v.outcome().id() : v.detail());
                }
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("remediation", t.remediationId());
                f.put("repo", t.repo());
                f.put("pull_request", t.pullNumber());
                f.put("playbook", remediations.find(t.remediationId()).map(RemediationStore.Remediation::playbookId)
                        .orElse(""));
                f.put("merge_sha", t.mergeSha());
                f.put("merged_at", t.mergedAt().toString());
                f.put("deadline", t.deadline().toString());
                f.put("state", t.state().id());
                f.put("deployed", t.deployedAt().map(d -> t.deploySignal() + " at " + d).orElse(""));
                f.put("drift", t.driftDetail());
                f.put("escalation_issue", t.escalationIssue().isPresent() ? t.escalationIssue().getAsInt() : null);
                f.put("steps", steps);
                fixes.add(f);
            }
            PrintStream out = ctx.out();
            if (json) {
                List<Map<String, Object>> recs = recurrences.stream().map(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("remediation", r.remediationId());
                    m.put("kind", r.kind().id());
                    m.put("repo", r.repo());
                    m.put("control", r.control());
                    m.put("resource", r.resource());
                    m.put("detail", r.detail());
                    m.put("detected_at", r.detectedAt().toString());
                    return m;
                }).toList();
                Map<String, Object> all = new LinkedHashMap<>();
                all.put("fixes", fixes);
                all.put("recurrences", recs);
                out.println(Json.write(all));
                return ExitCodes.OK;
            }
            if (tracks.isEmpty()) {
                out.println("No merged fix is under verification" + (repo == null ? "." : " in " + repo + "."));
            }
            for (Map<String, Object> f : fixes) {
                out.printf("%s#%s  %s  %s  merged %s  deadline %s%n", f.get("repo"), f.get("pull_request"),
                        f.get("playbook"), f.get("state"), f.get("merged_at"), f.get("deadline"));
                out.println("  deployed: " + (f.get("deployed").toString().isEmpty() ? "not yet" : f.get("deployed")));
                @SuppressWarnings("unchecked")
                Map<String, Object> steps = (Map<String, Object>) f.get("steps");
                steps.forEach((method, detail) -> out.println("  " + method + ": "
                        + detail.toString().replace("\n", "; ")));
                if (!f.get("drift").toString().isEmpty()) {
                    out.println("  drift: the fix is in code but not applied — " + f.get("drift").toString()
                            .replace("\n", "; "));
                }
                if (f.get("escalation_issue") != null) {
                    out.println("  escalated: issue #" + f.get("escalation_issue"));
                }
            }
            for (VerifyStore.Recurrence r : recurrences) {
                out.printf("recurrence (%s) after remediation %d in %s: %s%n", r.kind().id(), r.remediationId(), r.repo(),
                        r.detail());
            }
            return ExitCodes.OK;
        }
    }
}
