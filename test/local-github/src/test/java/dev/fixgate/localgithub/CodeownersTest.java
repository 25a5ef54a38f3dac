package dev.fixgate.localgithub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** CODEOWNERS as GitHub documents it: gitignore-like patterns, last match wins. */
class CodeownersTest {

    private final Codeowners co = Codeowners.parse("""
            # comment
            *                 @acme/everyone
            *.tf              @tf-owner @acme/platform   # trailing comment
            /infra/           @infra-owner
            docs/*            @docs-owner
            apps/             @apps-owner
            **/logs           @logs-owner
            /build/logs/**    @build-owner
            /legacy/
            README.md         docs@example.com
            """);

    @Test
    void lastMatchingRuleWins() {
        assertThat(co.owners("main.tf")).containsExactly("@tf-owner", "@acme/platform");
        assertThat(co.owners("infra/main.tf")).containsExactly("@infra-owner");
        assertThat(co.owners("src/app.java")).containsExactly("@acme/everyone");
    }

    @Test
    void patternsFollowGitHubsRules() {
        assertThat(co.owners("docs/guide.md")).containsExactly("@docs-owner");
        assertThat(co.owners("docs/deep/guide.md")).containsExactly("@acme/everyone"); // docs/* is not recursive
        assertThat(co.owners("src/apps/x/y.js")).containsExactly("@apps-owner"); // unanchored directory
        assertThat(co.owners("a/b/logs/out.txt")).containsExactly("@logs-owner");
        assertThat(co.owners("build/logs/x/y.txt")).containsExactly("@build-owner");
        assertThat(co.owners("legacy/old.tf")).isEmpty(); // a rule without owners clears ownership
        assertThat(co.owners("sub/README.md")).containsExactly("docs@example.com");
    }

    @Test
    void userOwnersLeaveOutTeamsAndEmails() {
        assertThat(co.userOwners("main.tf")).containsExactly("tf-owner");
        assertThat(co.userOwners("README.md")).isEmpty();
    }

    @Test
    void gitHubsOrderOfLocations() {
        assertThat(Codeowners.LOCATIONS).containsExactly(".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS");
    }
}
