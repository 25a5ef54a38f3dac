package dev.fixgate.app.pipeline;

import dev.fixgate.app.config.ConfigException;
import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.config.RepoConfigLoader;
import dev.fixgate.app.deliver.DeliveryJob;
import dev.fixgate.app.deliver.RepoConfigs;
import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.app.pipeline.RemediateJobHandler.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one remediation job has read of each repository it looked at: the configuration (read once per job) and the
 * commit its scan read. The deliveries it queues are handed both ({@link DeliveryJob.Planned}), so they read neither
 * again.
 */
final class RepositoryReads {

    /** A configuration as read: parsed (empty when invalid), and the files with when they were read. */
    private record ReadConfig(Optional<RepoConfig> config, Optional<RepoConfigs.Sources> sources, Instant at) {
    }

    private final RemediateJobHandler.Repositories repositories;
    private final Clock clock;
    private final Map<Repo, ReadConfig> configs = new HashMap<>();
    private final Map<Repo, RepoScan.Revision> revisions = new HashMap<>();

    RepositoryReads(RemediateJobHandler.Repositories repositories, Clock clock) {
        this.repositories = Objects.requireNonNull(repositories, "repositories");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * {@code repo}'s configuration, read on first use; empty when it is invalid, which is added to {@code problems}
     * (nothing is proposed there: fail closed).
     */
    Optional<RepoConfig> config(Repo repo, List<String> problems) {
        ReadConfig read = configs.get(repo);
        if (read == null) {
            Instant at = clock.instant();
            try {
                RepoConfigs.Sources sources = repositories.configSources(repo);
                read = new ReadConfig(Optional.of(sources.parse()), Optional.of(sources), at);
            } catch (ConfigException e) {
                read = new ReadConfig(Optional.empty(), Optional.empty(), at);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            configs.put(repo, read);
        }
        if (read.config().isEmpty()) {
            problems.add(repo.fullName() + ": invalid " + RepoConfigLoader.PATH
                    + "; nothing is proposed there until it is fixed");
        }
        return read.config();
    }

    /** Notes which commit {@code scan} of {@code repo} read, when its checkout said. */
    void scanned(Repo repo, RepoScan scan) {
        scan.revision().ifPresent(r -> revisions.put(repo, r));
    }

    /**
     * What the delivery of a proposal for {@code repo} is handed: the configuration files as read, and the commit the
     * scan read (the proposal's files were computed from it).
     */
    DeliveryJob.Planned planned(Repo repo) {
        ReadConfig read = configs.get(repo);
        RepoScan.Revision revision = revisions.get(repo);
        return new DeliveryJob.Planned(read == null ? null : read.at(),
                revision == null ? null : new DeliveryJob.Base(revision.commit(), revision.tree()),
                read == null ? null : read.sources().orElse(null));
    }
}
