package dev.fixgate.app.pipeline;

import dev.fixgate.app.store.ChatOpsStore;
import dev.fixgate.spi.finding.InitiativeId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the people's holds ({@code /fixgate snooze}, {@code ignore}) leave of a remediation run's subjects. */
final class Holds {

    private Holds() {
    }

    /**
     * The subjects nobody put on hold: an initiative snoozed or ignored in {@code repo} proposes nothing there
     * until the hold ends; an ignored resource is left out.
     */
    static List<Remediation.Subject> unheld(ChatOpsStore store, String repo, InitiativeId id,
                                            List<Remediation.Subject> subjects, List<String> problems, Instant now) {
        List<ChatOpsStore.Hold> holds = store.holdsInForce(repo, now).stream()
                .filter(h -> h.initiative().equals(id) && h.kind() != ChatOpsStore.HoldKind.REJECT).toList();
        for (ChatOpsStore.Hold h : holds) {
            if (h.target().isEmpty()) {
                problems.add(repo + ": " + h.kind().name().toLowerCase(java.util.Locale.ROOT) + "d by @"
                        + h.createdBy() + h.until().map(u -> " until " + u).orElse("") + " — nothing is proposed ("
                        + h.reason() + ")");
                return List.of();
            }
        }
        List<Remediation.Subject> out = new ArrayList<>();
        for (Remediation.Subject s : subjects) {
            String location = s.located().resource().file() + ":" + s.located().resource().address();
            Optional<ChatOpsStore.Hold> ignored = holds.stream().filter(h -> h.target().equals(location)
                    || h.target().equals(s.located().resource().address()) || h.target().equals(s.finding().resource().key()))
                    .findFirst();
            if (ignored.isPresent()) {
                problems.add(location + ": ignored by @" + ignored.get().createdBy()
                        + ignored.get().until().map(u -> " until " + u).orElse("") + " (" + ignored.get().reason() + ")");
            } else {
                out.add(s);
            }
        }
        return out;
    }

}
