package dev.fixgate.app.verify;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A control whose fix came back asks for its guardrail: the verify stage hands this to {@link GuardrailRequests}, and
 * the prevent stage (guardrail pull requests into the repository the organisation names) delivers it.
 *
 * @param repo        the repository the problem recurred in ({@code owner/name})
 * @param installationId the App's installation on it
 * @param control     canonical control id, e.g. {@code aws.s3.bucket.ssl_requests_only}
 * @param playbookId  the playbook whose {@code guardrail:} is asked for
 * @param targets     which guardrail kinds the playbook carries ({@code aws_scp}, {@code azure_policy},
 *                    {@code gcp_org_policy}); may be empty when it carries none
 * @param reason      why, one line: the recurrence and the verified fix it follows
 * @param pullNumber  the verified fix's pull request
 */
public record GuardrailRequest(String repo, long installationId, String control, String playbookId,
                               List<String> targets, String reason, int pullNumber, Instant at) {
    public GuardrailRequest {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(playbookId, "playbookId");
        targets = List.copyOf(targets);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(at, "at");
    }
}
