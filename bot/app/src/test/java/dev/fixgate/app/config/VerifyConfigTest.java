package dev.fixgate.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code verify:} in {@code .github/fixgate.yml}: the deadline and the deploy signal, their defaults and their errors. */
class VerifyConfigTest {

    @Test
    void withoutTheKeyAFixHasAWeekAndCountsAsDeployedAnHourAfterTheMerge() {
        RepoConfig.Verify v = RepoConfig.defaults().verify();
        assertThat(v.deadline()).isEqualTo(Duration.ofDays(7));
        assertThat(v.deploy().signal()).isEqualTo(RepoConfig.Verify.Signal.DELAY);
        assertThat(v.deploy().delay()).isEqualTo(Duration.ofHours(1));
        assertThat(v.deploy().environment()).isEmpty();
        assertThat(v.deploy().workflow()).isEmpty();
    }

    @Test
    void readsTheDeadlineAndEachSignal() {
        RepoConfig.Verify d = RepoConfigLoader.parse(".github/fixgate.yml", """
                verify:
                  deadline: 3d
                  deploy: {signal: deployment, environment: production}
                """).verify();
        assertThat(d.deadline()).isEqualTo(Duration.ofDays(3));
        assertThat(d.deploy().signal()).isEqualTo(RepoConfig.Verify.Signal.DEPLOYMENT);
        assertThat(d.deploy().environment()).isEqualTo("production");
        RepoConfig.Verify w = RepoConfigLoader.parse(".github/fixgate.yml", """
                verify: {deadline: 45m, deploy: {signal: workflow, workflow: .github/workflows/apply.yml}}
                """).verify();
        assertThat(w.deadline()).isEqualTo(Duration.ofMinutes(45));
        assertThat(w.deploy().workflow()).isEqualTo(".github/workflows/apply.yml");
        RepoConfig.Verify s = RepoConfigLoader.parse(".github/fixgate.yml", """
                verify: {deadline: 30s, deploy: {signal: delay, delay: 5s}}
                """).verify();
        assertThat(s.deadline()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.deploy().delay()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aBadValueNamesTheFileLineAndKey() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> RepoConfigLoader.parse(
                ".github/fixgate.yml", "verify:\n  deadline: 7 days\n  deploy: {signal: merge}\n"));
        assertThat(e.getMessage()).contains(".github/fixgate.yml:2").contains("verify.deadline")
                .contains(".github/fixgate.yml:3").contains("verify.deploy.signal");
        ConfigException typo = catchThrowableOfType(ConfigException.class, () -> RepoConfigLoader.parse(
                ".github/fixgate.yml", "verify:\n  dealine: 7d\n"));
        assertThat(typo.getMessage()).contains("did you mean 'deadline'");
    }
}
