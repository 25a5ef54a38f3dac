package dev.fixgate.app.deliver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.fixgate.app.json.Json;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@value DeliveryJobHandler#KIND} job's payload: the {@link FixProposal}, and what the remediation job had read
 * from GitHub when it planned it ({@link Planned}), so the delivery need not ask again. Payloads queued before this
 * record existed are a bare proposal, and still read.
 */
public record DeliveryJob(FixProposal proposal, Planned planned) {

    public DeliveryJob {
        Objects.requireNonNull(proposal, "proposal");
        planned = planned == null ? Planned.NOTHING : planned;
    }

    /**
     * What the plan was made from.
     *
     * @param at     when the remediation job read the configuration
     * @param base   the default branch's commit the proposal's files were computed from; {@code null} when not known
     *               (the delivery then builds on the default branch's head, read when it runs)
     * @param config the repository's configuration files as read at {@code at}; {@code null} when not carried
     */
    public record Planned(Instant at, Base base, RepoConfigs.Sources config) {

        /**
         * How long a carried configuration stands in for reading it again: GitHub's own {@code max-age} for a file's
         * contents. A delivery that waited longer (a cap, a retry) reads the configuration again, so a person's change
         * to a mode, a cap or the reviewers counts from then on.
         */
        public static final Duration CONFIG_MAX_AGE = Duration.ofSeconds(60);

        /** Nothing carried: the delivery reads everything itself. */
        public static final Planned NOTHING = new Planned(null, null, null);

        /** The carried configuration, when one was read no longer than {@link #CONFIG_MAX_AGE} before {@code now}. */
        public Optional<RepoConfigs.Sources> freshConfig(Instant now) {
            if (config == null || at == null || at.isAfter(now.plusSeconds(1))
                    || Duration.between(at, now).compareTo(CONFIG_MAX_AGE) > 0) {
                return Optional.empty();
            }
            return Optional.of(config);
        }

        public Optional<Base> plannedOn() {
            return Optional.ofNullable(base);
        }
    }

    /** A commit of the default branch and its tree, as hex object ids (40 digits; 64 in a SHA-256 repository). */
    public record Base(String commit, String tree) {
        public Base {
            if (!hex(commit) || !hex(tree)) {
                throw new IllegalArgumentException("a base is a commit id and a tree id (hex object ids)");
            }
        }

        private static boolean hex(String id) {
            return id != null && (id.length() == 40 || id.length() == 64) && id.chars().allMatch(c -> Character.digit(c, 16) >= 0);
        }
    }

    public String toJson() {
        try {
            return Json.mapper().writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This record's JSON, or a bare {@link FixProposal}'s (queued before the plan was carried). */
    public static DeliveryJob fromJson(String json) throws JsonProcessingException {
        JsonNode tree = Json.mapper().readTree(json);
        if (tree != null && tree.has("proposal") && tree.get("proposal").isObject()) {
            return Json.mapper().treeToValue(tree, DeliveryJob.class);
        }
        return new DeliveryJob(FixProposal.fromJson(json), Planned.NOTHING);
    }
}
