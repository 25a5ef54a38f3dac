package dev.fixgate.app.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.config.RepoConfigLoader;
import dev.fixgate.app.store.JobQueue;
import dev.fixgate.app.store.TestDb;
import dev.fixgate.spi.assess.Rci;
import dev.fixgate.spi.gate.GateDecision;
import dev.fixgate.spi.gate.GateLayer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryJobTest {

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    private static final String TREE = "89abcdef0123456789abcdef0123456789abcdef";
    private static final Instant READ = Instant.parse("2026-12-08T00:00:00Z");

    private static FixProposal proposal() {
        return PullRequestContentTest.proposal(new GateDecision.Allow(GateLayer.POLICY, List.of("ok")), Rci.initial());
    }

    private static RepoConfigs.Sources sources() {
        return new RepoConfigs.Sources(new RepoConfigLoader.Source("acme/.github:.github/fixgate.yml", "mode: assist\n"),
                new RepoConfigLoader.Source("acme/infra:.github/fixgate.yml", "mode: detect\n"));
    }

    @Test
    void roundTripsWithWhatWasReadAndParsesTheFilesAsReadingThemWould() throws Exception {
        DeliveryJob job = new DeliveryJob(proposal(), new DeliveryJob.Planned(READ, new DeliveryJob.Base(COMMIT, TREE),
                sources()));
        DeliveryJob back = DeliveryJob.fromJson(job.toJson());
        assertThat(back).isEqualTo(job);
        RepoConfig parsed = back.planned().freshConfig(READ.plusSeconds(59)).orElseThrow().parse();
        assertThat(parsed).isEqualTo(RepoConfigLoader.parse(Optional.of(sources().defaults()),
                Optional.of(sources().repository())));
        assertThat(parsed.mode()).isEqualTo(RepoConfig.Mode.DETECT); // the repository's file over its owner's
    }

    @Test
    void aCarriedConfigurationCountsForAMinuteOnly() {
        DeliveryJob.Planned planned = new DeliveryJob.Planned(READ, null, sources());
        assertThat(planned.freshConfig(READ)).isPresent();
        assertThat(planned.freshConfig(READ.plus(DeliveryJob.Planned.CONFIG_MAX_AGE))).isPresent();
        assertThat(planned.freshConfig(READ.plus(DeliveryJob.Planned.CONFIG_MAX_AGE).plusMillis(1))).isEmpty();
        // read "in the future" (another host's clock far ahead): not trusted
        assertThat(planned.freshConfig(READ.minus(Duration.ofMinutes(5)))).isEmpty();
        assertThat(DeliveryJob.Planned.NOTHING.freshConfig(READ)).isEmpty();
        assertThat(DeliveryJob.Planned.NOTHING.plannedOn()).isEmpty();
    }

    @Test
    void aPayloadQueuedAsABareProposalIsStillRead() throws Exception {
        FixProposal p = proposal();
        DeliveryJob job = DeliveryJob.fromJson(p.toJson());
        assertThat(job.proposal()).isEqualTo(p);
        assertThat(job.planned()).isEqualTo(DeliveryJob.Planned.NOTHING);
    }

    @Test
    void aBaseIsTwoObjectIds() {
        assertThatThrownBy(() -> new DeliveryJob.Base("main", TREE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new DeliveryJob.Base(COMMIT, "zz" + TREE.substring(2)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void whatWasReadIsNotPartOfTheKeySoTheSamePlanReadAgainIsOneDelivery() {
        JobQueue queue = new JobQueue(TestDb.H2.fresh());
        FixProposal p = proposal();
        long first = DeliveryJobHandler.enqueue(queue, p, new DeliveryJob.Planned(READ, null, sources()), READ);
        long again = DeliveryJobHandler.enqueue(queue, p, new DeliveryJob.Planned(READ.plusSeconds(5),
                new DeliveryJob.Base(COMMIT, TREE), sources()), READ.plusSeconds(5));
        assertThat(again).isEqualTo(first);
    }
}
