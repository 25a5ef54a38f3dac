package dev.fixgate.app.verify;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.deliver.PullRequestContent;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.store.FindingStore;
import dev.fixgate.app.store.RemediationStore;
import dev.fixgate.app.store.VerifyStore;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.audit.AuditEvent;
import dev.fixgate.spi.finding.Fingerprint;
import dev.fixgate.spi.finding.InitiativeId;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHIssueState;
import org.kohsuke.github.GHRepository;

/**
 * A problem fixgate fixed and verified that comes back: a finding the verified fix covered is reported again
 * ({@link VerifyStore.RecurrenceKind#REOPENED}), or another resource of the same repository fails the same control
 * — a later remediation of the same playbook there ({@link VerifyStore.RecurrenceKind#NEW_RESOURCE}). Each is
 * recorded once per verified fix and finding; the first time, it is escalated (a comment on the verified pull request,
 * an issue per control for the owners) and the control's guardrail is asked for ({@link GuardrailRequests}).
 */
public final class Recurrences {

    static final String MARKER = "<!-- fixgate:verify:recurrence -->";

    /** One recurrence found now. */
    public record Found(VerifyStore.Track fix, Fingerprint finding, VerifyStore.RecurrenceKind kind, String detail) {
    }

    private final GitHubClients clients;
    private final String botLogin;
    private final RemediationStore remediations;
    private final FindingStore findings;
    private final VerifyStore store;
    private final PlaybookCatalog catalog;
    private final GuardrailRequests guardrails;
    private final AuditLog audit;
    private final Clock clock;

    public Recurrences(GitHubClients clients, String botLogin, RemediationStore remediations, FindingStore findings,
                       VerifyStore store, PlaybookCatalog catalog, GuardrailRequests guardrails, AuditLog audit,
                       Clock clock) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.botLogin = Objects.requireNonNull(botLogin, "botLogin");
        this.remediations = Objects.requireNonNull(remediations, "remediations");
        this.findings = Objects.requireNonNull(findings, "findings");
        this.store = Objects.requireNonNull(store, "store");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.guardrails = Objects.requireNonNull(guardrails, "guardrails");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The recurrences, in the repositories where {@code initiative} has remediations, of fixes verified there. */
    public List<Found> find(InitiativeId initiative) {
        Set<String> repos = new HashSet<>();
        remediations.forInitiative(initiative).forEach(r -> repos.add(r.repo()));
        List<Found> out = new ArrayList<>();
        for (String repo : repos) {
            List<RemediationStore.Remediation> all = remediations.inRepo(repo);
            for (VerifyStore.Track t : store.inRepo(repo)) {
                if (t.state() != VerifyStore.State.VERIFIED || t.verifiedAt().isEmpty()) {
                    continue;
                }
                Optional<RemediationStore.Remediation> fix = remediations.find(t.remediationId());
                if (fix.isEmpty()) {
                    continue;
                }
                List<Fingerprint> covered = remediations.covered(t.remediationId());
                for (Fingerprint f : covered) {
                    // verified means the source had reported it resolved: active again since is the recurrence
                    findings.find(f).filter(s -> s.state().isActive() && s.stateChanged() != null
                                    && s.stateChanged().isAfter(t.verifiedAt().get()))
                            .ifPresent(s -> out.add(new Found(t, f, VerifyStore.RecurrenceKind.REOPENED,
                                    s.control().value() + " on " + s.resource().key() + " is reported again ("
                                            + s.state().name().toLowerCase(java.util.Locale.ROOT) + " since "
                                            + s.stateChanged() + ") after the fix was verified")));
                }
                for (RemediationStore.Remediation later : all) {
                    if (later.id() == t.remediationId() || !later.playbookId().equals(fix.get().playbookId())
                            || !later.createdAt().isAfter(t.verifiedAt().get())) {
                        continue;
                    }
                    for (Fingerprint f : remediations.covered(later.id())) {
                        if (!covered.contains(f)) {
                            String what = findings.find(f).map(s -> s.resource().key()).orElse(f.value());
                            out.add(new Found(t, f, VerifyStore.RecurrenceKind.NEW_RESOURCE, what + " fails "
                                    + later.playbookId() + " in " + repo + " after the fix in #" + t.pullNumber()
                                    + " was verified (remediation " + later.id() + ")"));
                        }
                    }
                }
            }
        }
        return out;
    }

    /** Records and escalates every new recurrence of {@code initiative}'s repositories; returns how many were new. */
    public int escalate(InitiativeId initiative) throws IOException {
        int n = 0;
        for (Found f : find(initiative)) {
            RemediationStore.Remediation fix = remediations.find(f.fix().remediationId()).orElseThrow();
            Playbook playbook = catalog.byId(fix.playbookId()).orElse(null);
            String control = findings.find(f.finding()).map(s -> s.control().value())
                    .orElse(playbook == null ? fix.playbookId() : playbook.controls().getFirst().value());
            Instant now = clock.instant();
            if (!store.recur(fix.id(), f.finding(), f.kind(), fix.repo(), control, fix.playbookId(),
                    findings.find(f.finding()).map(s -> s.resource().key()).orElse(""), f.detail(), now)) {
                continue;
            }
            n++;
            GHRepository repo = clients.installation(f.fix().installationId()).getRepository(fix.repo());
            String title = "fixgate: " + control + " recurred after a verified fix";
            String line = "- " + f.kind().id() + ": " + f.detail();
            GHIssue issue = null;
            for (GHIssue i : repo.getIssues(GHIssueState.OPEN)) {
                if (!i.isPullRequest() && title.equals(i.getTitle())) {
                    issue = i;
                    break;
                }
            }
            if (issue == null) {
                issue = repo.createIssue(title).label(PullRequestContent.LABEL).body(MARKER + "\nA problem fixgate fixed"
                        + " and verified in #" + f.fix().pullNumber() + " came back. Fixing it again does not stop the"
                        + " next one: the control's guardrail was asked for.\n\n" + line + "\n").create();
            } else if (issue.getBody() == null || !issue.getBody().contains(line)) {
                issue.comment(line);
            }
            Verifier.commentOnce(repo, f.fix().pullNumber(), MARKER + " " + f.finding().value(), MARKER + " "
                    + f.finding().value() + "\n**Recurrence** after this verified fix: " + f.detail() + " (#"
                    + issue.getNumber() + ").");
            audit.append(new AuditEvent.Escalated(now, botLogin, fix.repo(), f.fix().pullNumber(), "recurrence",
                    issue.getNumber(), f.detail()));
            List<String> targets = new ArrayList<>();
            if (playbook != null) {
                playbook.guardrail().awsScp().ifPresent(x -> targets.add("aws_scp"));
                playbook.guardrail().azurePolicy().ifPresent(x -> targets.add("azure_policy"));
                playbook.guardrail().gcpOrgPolicy().ifPresent(x -> targets.add("gcp_org_policy"));
            }
            guardrails.request(new GuardrailRequest(fix.repo(), f.fix().installationId(), control, fix.playbookId(),
                    targets, f.kind().id() + ": " + f.detail(), f.fix().pullNumber(), now));
        }
        return n;
    }
}
