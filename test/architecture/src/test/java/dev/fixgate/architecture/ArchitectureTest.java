package dev.fixgate.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.fixgate.app.Pipeline;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules of docs/ARCHITECTURE.md, over every production class of every module. */
class ArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.fixgate");
    }

    @Test
    void theImportSeesEveryModule() {
        // A rule over an empty or partial class set proves nothing: make sure each module's classes are here.
        assertThat(production.containPackage("dev.fixgate.spi.finding")).isTrue();
        assertThat(production.containPackage("dev.fixgate.app.cli")).isTrue();
        assertThat(production.containPackage("dev.fixgate.app.store")).isTrue();
        assertThat(production.containPackage("dev.fixgate.app.jobs")).isTrue();
        assertThat(production.containPackage("dev.fixgate.app.ingest")).isTrue();
        assertThat(production.containPackage("dev.fixgate.app.group")).isTrue();
        assertThat(production.containPackage("dev.fixgate.policy")).isTrue();
        assertThat(production.containPackage("dev.fixgate.localgithub")).isTrue();
        assertThat(production.containPackage("dev.fixgate.app.pipeline")).isTrue();
        assertThat(production.containPackage("dev.fixgate.app.wiring")).isTrue();
        assertThat(production.containPackage("dev.fixgate.demo")).isTrue();
        assertThat(production.containPackage("dev.fixgate.patch.terraform")).isTrue();
    }

    static Stream<ArchRule> rules() {
        return Stream.of(FixgateRules.SPI_IS_SELF_CONTAINED, FixgateRules.SPI_DOES_NO_IO,
                FixgateRules.MODULES_DO_NOT_IMPORT_THE_APP, FixgateRules.POLICIES_USE_ONLY_THE_SPI,
                FixgateRules.PROVIDERS_DO_NOT_IMPORT_EACH_OTHER,
                FixgateRules.AUDIT_USES_NO_STAGE, FixgateRules.INFRASTRUCTURE_USES_NO_STAGE,
                FixgateRules.STAGES_DO_NOT_USE_THE_OUTER_LAYERS, FixgateRules.LOCAL_GITHUB_IS_STANDALONE,
                FixgateRules.NO_PACKAGE_CYCLES, FixgateRules.THE_CHAIN_IS_DRIVEN_ONLY_BY_THE_PIPELINE,
                FixgateRules.THE_GRAPH_IS_BUILT_ONLY_IN_WIRING, FixgateRules.ONLY_THE_COMMANDS_USE_THE_WIRING,
                FixgateRules.THE_APP_DOES_NOT_CARRY_THE_DEMO, FixgateRules.THE_REPORT_ONLY_READS,
                FixgateRules.ONLY_THE_COMMANDS_USE_THE_REPORT, FixgateRules.GUARDRAILS_ARE_DELIVERED_BY_DELIVER);
    }

    @ParameterizedTest
    @MethodSource("rules")
    void holds(ArchRule rule) {
        rule.allowEmptyShould(true).check(production);
    }

    @ParameterizedTest
    @EnumSource(Pipeline.Stage.class)
    void aStageNeverUsesALaterStage(Pipeline.Stage stage) {
        FixgateRules.stageDoesNotUseLaterStages(stage).check(production);
    }
}
