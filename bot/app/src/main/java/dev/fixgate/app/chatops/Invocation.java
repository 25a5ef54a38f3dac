package dev.fixgate.app.chatops;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.deliver.FixProposal;
import dev.fixgate.app.store.RemediationStore;
import java.util.Objects;
import java.util.Optional;
import org.kohsuke.github.GHIssue;
import org.kohsuke.github.GHPullRequest;
import org.kohsuke.github.GHRepository;

/**
 * One command as given: where (a fixgate pull request, issue or the dashboard), by whom, with what, under the
 * repository's configuration.
 *
 * @param sender the GitHub login that gave the command (the commenter, the button's clicker, the box's ticker)
 */
public record Invocation(long installationId, GHRepository repo, Target target, String sender,
                         CommentParser.Parsed.Command command, RepoConfig config, ChatOpsServices services) {

    public Invocation {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(services, "services");
    }

    /** Where a command was given. */
    public sealed interface Target {
        int number();

        /** The remediation behind the pull request or issue, when fixgate recorded one. */
        Optional<RemediationStore.Remediation> remediation();

        /** The fix as it was proposed, read back from the remediation's plan. */
        default Optional<FixProposal> proposal() {
            return remediation().flatMap(r -> {
                try {
                    return Optional.of(FixProposal.fromJson(r.planJson()));
                } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                    return Optional.empty();
                }
            });
        }

        /** A pull request fixgate opened: open, or merged ({@code merged}). */
        record PullRequest(GHPullRequest pr, Optional<RemediationStore.Remediation> remediation, boolean merged)
                implements Target {
            @Override
            public int number() {
                return pr.getNumber();
            }

            public String headSha() {
                return pr.getHead().getSha();
            }
        }

        /** An issue fixgate opened for a fix it would not open a pull request for. */
        record Issue(GHIssue issue, Optional<RemediationStore.Remediation> remediation) implements Target {
            @Override
            public int number() {
                return issue.getNumber();
            }
        }

        /** The repository's Remediation Dashboard. */
        record Dashboard(GHIssue issue) implements Target {
            @Override
            public int number() {
                return issue.getNumber();
            }

            @Override
            public Optional<RemediationStore.Remediation> remediation() {
                return Optional.empty();
            }
        }
    }
}
