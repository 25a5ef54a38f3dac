package dev.fixgate.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.fixgate.app.Pipeline;
import dev.fixgate.app.audit.archfixture.AuditUsingAStage;
import dev.fixgate.app.cli.archfixture.CliPlanningByItself;
import dev.fixgate.app.deliver.archfixture.DeliverBuildingItsOwnGate;
import dev.fixgate.app.deliver.archfixture.DeliverUsingTheWiring;
import dev.fixgate.app.gate.RemediationSafety;
import dev.fixgate.app.jobs.JobHandler;
import dev.fixgate.app.merge.archfixture.FixtureHandler;
import dev.fixgate.app.merge.archfixture.MergeUsingTheReport;
import dev.fixgate.app.merge.archfixture.MergeWiringAHandler;
import dev.fixgate.app.report.archfixture.ReportDrivingAStage;
import dev.fixgate.app.pipeline.Remediation;
import dev.fixgate.app.plan.Planner;
import dev.fixgate.app.locate.S3StateReader;
import dev.fixgate.app.locate.StateSources;
import dev.fixgate.app.locate.archfixture.LocateReadingS3ByItself;
import dev.fixgate.app.wiring.Wiring;
import dev.fixgate.archfixture.cycle.a.A;
import dev.fixgate.archfixture.cycle.b.B;
import dev.fixgate.app.gate.archfixture.GateUsingTheWeb;
import dev.fixgate.app.ingest.archfixture.IngestReachingForward;
import dev.fixgate.app.jobs.archfixture.JobsUsingGitHub;
import dev.fixgate.app.plan.archfixture.PlanStep;
import dev.fixgate.app.store.archfixture.StoreUsingTheCli;
import dev.fixgate.app.store.archfixture.StoreUsingTheReport;
import dev.fixgate.app.store.archfixture.StoreUsingTheLocalGitHub;
import dev.fixgate.localgithub.archfixture.LocalGitHubUsingTheApp;
import dev.fixgate.provider.aws.archfixture.ProviderUsingTheApp;
import dev.fixgate.provider.common.archfixture.CommonUsingAws;
import dev.fixgate.spi.archfixture.SpiDoingTooMuch;
import org.junit.jupiter.api.Test;

/**
 * Every rule fails on a deliberate violation (the fixture classes in this module's tests, which the
 * production import leaves out). Without this, a rule with a typo in a package name would pass forever.
 */
class RulesCatchViolationsTest {

    private static EvaluationResult evaluate(ArchRule rule, Class<?>... classes) {
        JavaClasses imported = new ClassFileImporter().importClasses(classes);
        return rule.allowEmptyShould(true).evaluate(imported);
    }

    private static void assertViolation(ArchRule rule, Class<?> offender, Class<?>... others) {
        Class<?>[] all = new Class<?>[others.length + 1];
        all[0] = offender;
        System.arraycopy(others, 0, all, 1, others.length);
        EvaluationResult result = evaluate(rule, all);
        assertThat(result.hasViolation()).as("rule should reject %s", offender.getSimpleName()).isTrue();
        assertThat(result.getFailureReport().getDetails()).anySatisfy(d -> assertThat(d).contains(offender.getName()));
    }

    @Test
    void aStageUsingALaterStageIsCaught() {
        assertViolation(FixgateRules.stageDoesNotUseLaterStages(Pipeline.Stage.INGEST), IngestReachingForward.class, PlanStep.class);
        // ...and the same class is fine for the rule of a stage that comes after plan.
        assertThat(evaluate(FixgateRules.stageDoesNotUseLaterStages(Pipeline.Stage.VERIFY),
                IngestReachingForward.class, PlanStep.class).hasViolation()).isFalse();
    }

    @Test
    void anSpiThatUsesTheAppOrDoesIoIsCaught() {
        assertViolation(FixgateRules.SPI_IS_SELF_CONTAINED, SpiDoingTooMuch.class, Pipeline.class);
        assertViolation(FixgateRules.SPI_DOES_NO_IO, SpiDoingTooMuch.class);
    }

    @Test
    void aProviderImportingTheAppIsCaught() {
        assertViolation(FixgateRules.MODULES_DO_NOT_IMPORT_THE_APP, ProviderUsingTheApp.class);
    }

    @Test
    void aPolicyUsingAnotherModuleIsCaught() {
        assertViolation(FixgateRules.POLICIES_USE_ONLY_THE_SPI, dev.fixgate.policy.archfixture.PolicyUsingPlaybooks.class);
    }

    @Test
    void commonDependingOnACloudProviderIsCaught() {
        assertViolation(FixgateRules.PROVIDERS_DO_NOT_IMPORT_EACH_OTHER, CommonUsingAws.class, ProviderUsingTheApp.class);
    }

    @Test
    void theAuditLogUsingAStageIsCaught() {
        assertViolation(FixgateRules.AUDIT_USES_NO_STAGE, AuditUsingAStage.class);
    }

    @Test
    void infrastructureUsingTheCliIsCaught() {
        assertViolation(FixgateRules.INFRASTRUCTURE_USES_NO_STAGE, StoreUsingTheCli.class);
    }

    @Test
    void theJobWorkersReachingIntoGitHubAreCaught() {
        assertViolation(FixgateRules.INFRASTRUCTURE_USES_NO_STAGE, JobsUsingGitHub.class);
    }

    @Test
    void aStageUsingTheWebLayerIsCaught() {
        assertViolation(FixgateRules.STAGES_DO_NOT_USE_THE_OUTER_LAYERS, GateUsingTheWeb.class);
    }

    @Test
    void aPackageCycleIsCaught() {
        assertViolation(FixgateRules.NO_PACKAGE_CYCLES, A.class, B.class);
    }

    @Test
    void aCommandChainingAStageItselfIsCaught() {
        assertViolation(FixgateRules.THE_CHAIN_IS_DRIVEN_ONLY_BY_THE_PIPELINE, CliPlanningByItself.class, Planner.class);
        // ...and the pipeline's own call of the same entry point is fine.
        assertThat(evaluate(FixgateRules.THE_CHAIN_IS_DRIVEN_ONLY_BY_THE_PIPELINE, Remediation.class, Planner.class)
                .hasViolation()).isFalse();
    }

    @Test
    void aGateOrAJobHandlerBuiltOutsideTheWiringIsCaught() {
        assertViolation(FixgateRules.THE_GRAPH_IS_BUILT_ONLY_IN_WIRING, DeliverBuildingItsOwnGate.class,
                RemediationSafety.class);
        assertViolation(FixgateRules.THE_GRAPH_IS_BUILT_ONLY_IN_WIRING, MergeWiringAHandler.class,
                FixtureHandler.class, JobHandler.class);
        assertThat(evaluate(FixgateRules.THE_GRAPH_IS_BUILT_ONLY_IN_WIRING, Wiring.class, RemediationSafety.class)
                .hasViolation()).isFalse();
    }

    @Test
    void aStateReaderBuiltOutsideTheWiringIsCaught() {
        assertViolation(FixgateRules.THE_GRAPH_IS_BUILT_ONLY_IN_WIRING, LocateReadingS3ByItself.class,
                S3StateReader.class, StateSources.class);
        assertThat(evaluate(FixgateRules.THE_GRAPH_IS_BUILT_ONLY_IN_WIRING, Wiring.class, S3StateReader.class,
                StateSources.class).hasViolation()).isFalse();
    }

    @Test
    void thePreventStageWritingToGitHubItselfIsCaught() {
        assertViolation(FixgateRules.GUARDRAILS_ARE_DELIVERED_BY_DELIVER,
                dev.fixgate.app.prevent.archfixture.PreventOpeningItsOwnPullRequest.class);
        // ...and the real guardrail delivery, which hands its proposal to PullRequestDelivery, is fine
        assertThat(evaluate(FixgateRules.GUARDRAILS_ARE_DELIVERED_BY_DELIVER,
                dev.fixgate.app.prevent.guardrail.GuardrailDelivery.class).hasViolation()).isFalse();
    }

    @Test
    void aStageReachingForTheWiringIsCaught() {
        assertViolation(FixgateRules.ONLY_THE_COMMANDS_USE_THE_WIRING, DeliverUsingTheWiring.class, Wiring.class);
    }

    @Test
    void theAppReachingForTheLocalGitHubIsCaught() {
        assertViolation(FixgateRules.THE_APP_DOES_NOT_CARRY_THE_DEMO, StoreUsingTheLocalGitHub.class, LocalGitHubUsingTheApp.class);
    }

    @Test
    void theLocalGitHubUsingOurCodeIsCaught() {
        assertViolation(FixgateRules.LOCAL_GITHUB_IS_STANDALONE, LocalGitHubUsingTheApp.class, Pipeline.class);
    }

    @Test
    void theReportDrivingAStageIsCaught() {
        assertViolation(FixgateRules.THE_REPORT_ONLY_READS, ReportDrivingAStage.class);
    }

    @Test
    void aStageOrTheStoreUsingTheReportIsCaught() {
        assertViolation(FixgateRules.ONLY_THE_COMMANDS_USE_THE_REPORT, MergeUsingTheReport.class);
        assertViolation(FixgateRules.INFRASTRUCTURE_USES_NO_STAGE, StoreUsingTheReport.class);
    }
}
