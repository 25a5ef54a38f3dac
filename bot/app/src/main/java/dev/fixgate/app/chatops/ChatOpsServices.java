package dev.fixgate.app.chatops;

import dev.fixgate.app.audit.AuditLog;
import dev.fixgate.app.github.GitHubClients;
import dev.fixgate.app.github.GitHubTeams;
import dev.fixgate.app.merge.MergeHandler;
import dev.fixgate.app.store.ChatOpsStore;
import dev.fixgate.app.store.DecisionStore;
import dev.fixgate.app.store.InitiativeStore;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.RemediationStore;
import java.time.Clock;
import java.util.Objects;

/**
 * What command runners work with, assembled by the wiring package.
 *
 * @param slug     the App's slug: {@code /slug} and {@code @slug} address it
 * @param botLogin the App's bot user ({@code <slug>[bot]})
 */
public record ChatOpsServices(GitHubClients clients, GitHubTeams people, ChatOpsStore store,
                              RemediationStore remediations, DecisionStore decisions,
                              dev.fixgate.app.store.ExceptionStore exceptions, InitiativeStore initiatives,
                              JobQueue queue, AuditLog audit, MergeHandler merges, Dashboards dashboards, Clock clock,
                              String slug, String botLogin) {

    public ChatOpsServices {
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(people, "people");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(remediations, "remediations");
        Objects.requireNonNull(decisions, "decisions");
        Objects.requireNonNull(exceptions, "exceptions");
        Objects.requireNonNull(initiatives, "initiatives");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(audit, "audit");
        Objects.requireNonNull(merges, "merges");
        Objects.requireNonNull(dashboards, "dashboards");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(botLogin, "botLogin");
    }
}
