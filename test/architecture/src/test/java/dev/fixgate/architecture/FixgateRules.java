package dev.fixgate.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;

import com.tngtech.archunit.lang.ArchRule;
import dev.fixgate.app.Pipeline;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The dependency rules of docs/ARCHITECTURE.md as ArchUnit rules. Tests apply them to the real classes and to
 * deliberate violations, so a rule that stops catching anything fails too.
 */
final class FixgateRules {

    static final String SPI = "dev.fixgate.spi..";
    static final String APP = "dev.fixgate.app..";

    private FixgateRules() {
    }

    /** bot/spi is records and interfaces over the JDK: no other module of ours, no library, no I/O. */
    static final ArchRule SPI_IS_SELF_CONTAINED = noClasses().that().resideInAPackage(SPI)
            .should().dependOnClassesThat().resideOutsideOfPackages(SPI, "java.lang..", "java.util..", "java.time..",
                    "java.math..", "java.security..", "java.io..", "java.nio.charset..")
            .because("bot/spi depends on the JDK only, so every module can build against it");

    static final ArchRule SPI_DOES_NO_IO = noClasses().that().resideInAPackage(SPI)
            .should().dependOnClassesThat().haveNameMatching(
                    "java\\.io\\.(File|FileInputStream|FileOutputStream|FileReader|FileWriter|RandomAccessFile).*")
            .because("bot/spi does no I/O: parsers get streams, patchers get text");

    /** Modules around the app (providers, patchers, policies, playbooks) never reach into it. */
    static final ArchRule MODULES_DO_NOT_IMPORT_THE_APP = noClasses()
            .that().resideInAnyPackage("dev.fixgate.provider..", "dev.fixgate.patch..", "dev.fixgate.policy..",
                    "dev.fixgate.playbooks..")
            .should().dependOnClassesThat().resideInAPackage(APP)
            .because("the app wires the modules, never the other way round");

    /** Gate policies see the SPI and libraries only, so they can be evaluated (and replayed) without the rest. */
    static final ArchRule POLICIES_USE_ONLY_THE_SPI = noClasses().that().resideInAPackage("dev.fixgate.policy..")
            .should().dependOnClassesThat().resideInAnyPackage(APP, "dev.fixgate.patch..", "dev.fixgate.playbooks..",
                    "dev.fixgate.provider..")
            .because("policies depend on bot/spi and libraries only");

    static final ArchRule PROVIDERS_DO_NOT_IMPORT_EACH_OTHER = noClasses()
            .that().resideInAnyPackage("dev.fixgate.provider.common..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.fixgate.provider.aws..", "dev.fixgate.provider.azure..",
                    "dev.fixgate.provider.gcp..")
            .because("providers/common serves the cloud providers, not the reverse");

    /** test/local-github is used by bot/app (fixgate demo), so it may use nothing of ours. */
    static final ArchRule LOCAL_GITHUB_IS_STANDALONE = noClasses().that().resideInAPackage("dev.fixgate.localgithub..")
            .should().dependOnClassesThat(resideInAPackage("dev.fixgate..")
                    .and(not(resideInAPackage("dev.fixgate.localgithub.."))))
            .because("the app depends on the local GitHub for its demo, so the local GitHub cannot depend on the app");

    /** The audit log is written by every stage and uses none. */
    static final ArchRule AUDIT_USES_NO_STAGE = noClasses().that().resideInAPackage(Pipeline.AUDIT_PACKAGE + "..")
            .should().dependOnClassesThat().resideInAnyPackage(stagePackages(Pipeline.stages()))
            .because("every stage records to the audit log, so it cannot depend on any of them");

    /**
     * Infrastructure packages serve the stages and never call into them or into the outer layers. {@code jobs}
     * runs the queue: the handlers that know stages and GitHub are registered into it from outside.
     */
    static final ArchRule INFRASTRUCTURE_USES_NO_STAGE = noClasses()
            .that().resideInAnyPackage("dev.fixgate.app.store..", "dev.fixgate.app.config..", "dev.fixgate.app.json..",
                    "dev.fixgate.app.redact..", "dev.fixgate.app.jobs..")
            .should().dependOnClassesThat().resideInAnyPackage(concat(stagePackages(Pipeline.stages()),
                    "dev.fixgate.app.cli..", "dev.fixgate.app.web..", "dev.fixgate.app.github..", Pipeline.AUDIT_PACKAGE + ".."))
            .because("store, config, json, redact and jobs are used by the stages, not the other way round");

    /** No stage reaches the outer layers (CLI, web): they call the stages. */
    static final ArchRule STAGES_DO_NOT_USE_THE_OUTER_LAYERS = noClasses()
            .that().resideInAnyPackage(stagePackages(Pipeline.stages()))
            .should().dependOnClassesThat().resideInAnyPackage("dev.fixgate.app.cli..", "dev.fixgate.app.web..")
            .because("the CLI and the web server drive the pipeline");

    /** A stage may use earlier stages, never a later one. */
    static ArchRule stageDoesNotUseLaterStages(Pipeline.Stage stage) {
        List<Pipeline.Stage> later = Pipeline.stages().subList(stage.ordinal() + 1, Pipeline.stages().size());
        return noClasses().that().resideInAPackage(stage.packageName() + "..")
                .should().dependOnClassesThat().resideInAnyPackage(stagePackages(later))
                .allowEmptyShould(true)
                .because("stage " + stage.name().toLowerCase(Locale.ROOT) + " comes before " + later);
    }

    static String[] stagePackages(List<Pipeline.Stage> stages) {
        return stages.stream().map(s -> s.packageName() + "..").toArray(String[]::new);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
