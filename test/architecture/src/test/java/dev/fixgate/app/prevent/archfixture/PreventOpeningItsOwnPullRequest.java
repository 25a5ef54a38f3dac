package dev.fixgate.app.prevent.archfixture;

import java.io.IOException;
import org.kohsuke.github.GHRepository;

/** Deliberate violation: the prevent stage committing and opening a pull request itself instead of through deliver. */
public final class PreventOpeningItsOwnPullRequest {
    public void propose(GHRepository repo, String sha) throws IOException {
        repo.createRef("refs/heads/fixgate/guardrail/x", sha);
        repo.createPullRequest("guardrail", "fixgate/guardrail/x", "main", "body");
    }
}
