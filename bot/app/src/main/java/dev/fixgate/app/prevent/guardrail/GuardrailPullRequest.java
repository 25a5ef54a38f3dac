package dev.fixgate.app.prevent.guardrail;

import dev.fixgate.app.deliver.PullRequestContent;
import dev.fixgate.app.json.Json;
import dev.fixgate.playbooks.Playbook;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;

/**
 * What a guardrail pull request says: the branch ({@code fixgate/guardrail/<playbook>/<target>}, the same for the
 * same control and target, so a second delivery updates it), the title, the body — why now, the control, what it
 * denies, the sizes and room left, that it is RISKY and how to roll it back — the labels and the commit message.
 * Pure: no I/O. Its text comes from the catalog and the rendered guardrail; the request's reason and fingerprints
 * are written as code.
 */
final class GuardrailPullRequest {

    static final String LABEL = "guardrail";
    static final String BRANCH_PREFIX = "fixgate/guardrail/";
    static final String MARKER = "<!-- fixgate:guardrail ";
    static final String TRAILER_GUARDRAIL = "Fixgate-Guardrail";
    static final String TRAILER_TARGET = "Fixgate-Target";

    private GuardrailPullRequest() {
    }

    static String branch(Playbook playbook, GuardrailTarget target) {
        return BRANCH_PREFIX + playbook.id() + "/" + target.slug();
    }

    /** The initiative id the proposal carries: one per control and target. */
    static String initiative(Playbook playbook, GuardrailTarget target) {
        return "guardrail:" + playbook.id() + ":" + target.slug();
    }

    static String kind(GuardrailTarget target) {
        return switch (target.cloud()) {
            case AWS -> "AWS SCP";
            case AZURE -> "Azure Policy";
            case GCP -> "GCP organization policy";
            case UNKNOWN -> "guardrail";
        };
    }

    static PullRequestContent of(Playbook playbook, GuardrailTarget target, RenderedGuardrails rendered,
                                 String directory, GuardrailRequest request, GuardrailOptions options, String effect,
                                 SortedSet<String> alreadyThere, String severity) {
        String title = "fixgate: guardrail " + playbook.id() + " (" + kind(target) + ") for " + target;
        List<String> labels = List.of(PullRequestContent.LABEL, LABEL, "rci:risky",
                "severity:" + severity.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", ""));
        String message = title + "\n\n" + playbook.guardrail().description().strip() + "\n\n"
                + TRAILER_GUARDRAIL + ": " + playbook.id() + "\n" + TRAILER_TARGET + ": " + target.id() + "\n";
        return new PullRequestContent(branch(playbook, target), title,
                body(playbook, target, rendered, directory, request, options, effect, alreadyThere), labels, message);
    }

    private static String body(Playbook p, GuardrailTarget target, RenderedGuardrails r, String directory,
                               GuardrailRequest request, GuardrailOptions options, String effect,
                               SortedSet<String> alreadyThere) {
        StringBuilder b = new StringBuilder();
        b.append(PullRequestContent.MARKER_PREFIX).append(initiative(p, target)).append(" -->\n");
        b.append(MARKER).append(Json.write(Map.of("playbook", p.id(), "target", target.id(),
                "source", request.repository()))).append(" -->\n");
        b.append("## Why\n\n");
        b.append("`").append(code(p.id())).append("` (").append(p.title()).append(") came back in `")
                .append(code(request.repository())).append("` after fixgate fixed it");
        b.append(request.reason().isBlank() ? "." : ": " + oneLine(request.reason())).append('\n');
        if (!request.findings().isEmpty()) {
            b.append("\nFindings: ").append(String.join(", ", request.findings().stream().map(f -> "`" + code(f) + "`")
                    .toList())).append('\n');
        }
        b.append("\nThis proposes the playbook's preventive control, so the same misconfiguration cannot be deployed"
                + " again anywhere under ").append(target).append(".\n");
        b.append("\n## The control\n\n").append(p.guardrail().description().strip()).append('\n');
        b.append("\n## What it denies\n\n");
        switch (target.cloud()) {
            case AWS -> {
                b.append("The SCP statement (").append(p.id()).append("):\n\n```json\n")
                        .append(Json.prettyInOrder(ScpStatement.of(p.id(), p.guardrail().awsScp().orElseThrow(), p.folder())
                                .toJson())).append("\n```\n");
            }
            case AZURE -> b.append("Effect **").append(effect).append("**").append(AzureEffect.enforcing(options.mode())
                    ? ": non-compliant creates and updates are refused"
                    : ": non-compliant resources are reported, nothing is blocked (the guardrails repository is in "
                    + options.mode().name().toLowerCase(Locale.ROOT) + " mode)").append(".\n");
            case GCP -> b.append("The organization policy on `").append(code(String.valueOf(p.guardrail().gcpOrgPolicy()
                    .orElseThrow().get("constraint")))).append("` for ").append(target).append(".\n");
            case UNKNOWN -> { }
        }
        if (!r.scps().isEmpty()) {
            b.append("\n## Sizes\n\nEvery fixgate guardrail for ").append(target).append(" is merged and packed into ")
                    .append(r.scps().size()).append(r.scps().size() == 1 ? " SCP" : " SCPs").append(" of the ")
                    .append(options.awsPoliciesPerTarget()).append(" fixgate may attach here (AWS allows ")
                    .append(ScpPolicy.MAX_PER_TARGET).append(" per root, OU or account; FullAWSAccess takes one). AWS")
                    .append(" counts the minified document against ").append(String.format(Locale.ROOT, "%,d",
                            ScpPolicy.MAX_CHARACTERS)).append(" characters:\n\n")
                    .append("| policy | characters | room left | statements | playbooks |\n|---|---:|---:|---:|---|\n");
            for (ScpPolicy s : r.scps()) {
                b.append("| `").append(s.name()).append("` | ").append(String.format(Locale.ROOT, "%,d", s.size()))
                        .append(" | ").append(String.format(Locale.ROOT, "%,d", s.room())).append(" | ")
                        .append(s.statements().size()).append(" | ").append(s.sources().size()).append(" |\n");
            }
            List<String> before = new ArrayList<>(alreadyThere);
            b.append("\nAlready there before this pull request: ").append(before.isEmpty() ? "none"
                    : String.join(", ", before.stream().map(x -> "`" + x + "`").toList())).append(".\n");
        }
        if (!r.variables().isEmpty()) {
            b.append("\nSet ").append(String.join(", ", r.variables().stream().map(v -> "`var." + v + "`").toList()))
                    .append(" (or `guardrails.parameters` in fixgate's configuration) before applying.\n");
        }
        b.append("\n## Files\n\n");
        r.files().keySet().forEach(f -> b.append("- `").append(code(directory + "/" + f)).append("`\n"));
        b.append("\n## Risk of change: RISKY\n\nA guardrail applies to everything under ").append(target)
                .append(", not to one resource, so it is always RISKY: fixgate merges it only after an authorised"
                        + " approval of this commit, once the required checks pass, and never by itself.\n");
        b.append("\n## Rollback\n\n").append(rollback(target, r)).append('\n');
        return b.toString();
    }

    private static String rollback(GuardrailTarget target, RenderedGuardrails r) {
        boolean tf = r.format() == GuardrailFormat.TERRAFORM;
        return switch (target.cloud()) {
            case AWS -> "Revert this pull request and apply: " + (tf
                    ? "Terraform puts the previous policy documents back (a policy that is no longer needed is"
                    + " detached and deleted)."
                    : "update each policy with its previous document (`aws organizations update-policy --policy-id"
                    + " <id> --content file://<previous file>`).")
                    + " To lift the guardrail at once, detach the policy from the target: `aws organizations"
                    + " detach-policy --policy-id <id> --target-id " + target.id() + "`.";
            case AZURE -> "Revert this pull request and apply" + (tf ? " (Terraform removes the assignment)" : "")
                    + ". To lift the guardrail at once without removing it, set the assignment's enforcement mode to"
                    + " DoNotEnforce, or its effect to Disabled.";
            case GCP -> "Revert this pull request and apply" + (tf ? " (Terraform deletes the policy, and the"
                    + " constraint's inherited behaviour returns)" : "") + ". To lift the guardrail at once:"
                    + " `gcloud org-policies delete <constraint> --" + target.kind().label() + "="
                    + target.id().substring(target.id().indexOf('/') + 1) + "`.";
            case UNKNOWN -> "Revert this pull request.";
        };
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ").replace("<", "&lt;").strip();
    }

    private static String code(String s) {
        return s.replace("`", "'").replaceAll("[\\r\\n]+", " ");
    }
}
