package dev.fixgate.app.prevent.guardrail;

import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The guardrails of some playbooks for one target, exactly as they are delivered: the files (paths relative to the
 * target's directory, {@link #directory()}), and what a reviewer needs to judge them.
 *
 * @param playbooks  the playbooks whose guardrails the files carry
 * @param files      path → full text
 * @param scps       the packed SCPs (AWS only), with their sizes
 * @param skipped    playbooks asked for that have no guardrail for the target's cloud, and why
 * @param variables  Terraform variables the files declare for parameters nobody set
 */
public record RenderedGuardrails(GuardrailTarget target, GuardrailFormat format, SortedSet<String> playbooks,
                                 SortedMap<String, String> files, List<ScpPolicy> scps, List<Skipped> skipped,
                                 SortedSet<String> variables) {

    public RenderedGuardrails {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(format, "format");
        playbooks = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(playbooks));
        files = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(files));
        scps = List.copyOf(scps);
        skipped = List.copyOf(skipped);
        variables = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(variables));
    }

    /** A playbook without a guardrail for the target's cloud: its guardrail description says what to do instead. */
    public record Skipped(String playbook, String reason) {
        public Skipped {
            Objects.requireNonNull(playbook, "playbook");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** {@code <cloud>/<target slug>}: where the files go under the guardrails path. */
    public String directory() {
        return target.cloud().id() + "/" + target.slug();
    }
}
