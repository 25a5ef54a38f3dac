package dev.fixgate.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;

import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaCodeUnitAccess;
import com.tngtech.archunit.core.domain.properties.HasName;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import dev.fixgate.app.Pipeline;
import dev.fixgate.app.PipelineStep;
import dev.fixgate.app.chatops.ChatOps;
import dev.fixgate.app.chatops.CommandRunner;
import dev.fixgate.app.gate.Gatekeeper;
import dev.fixgate.app.gate.RemediationSafety;
import dev.fixgate.app.group.Intake;
import dev.fixgate.app.jobs.JobHandler;
import dev.fixgate.app.locate.S3StateReader;
import dev.fixgate.app.locate.StateSources;
import dev.fixgate.app.merge.MergeHandler;
import dev.fixgate.app.pipeline.Remediation;
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
    static final String PIPELINE = "dev.fixgate.app.pipeline..";
    static final String WIRING = "dev.fixgate.app.wiring..";
    /** The demo module: a command, like cli, that assembles the service through the wiring. */
    static final String DEMO = "dev.fixgate.demo..";
    /** fixgate report: reads what the stages stored; a command's concern, not the service's. */
    static final String REPORT = "dev.fixgate.app.report..";

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

    /** The production jar (bot/app) carries neither the demo nor the local GitHub: they are on the class path only for `fixgate demo` and tests. */
    static final ArchRule THE_APP_DOES_NOT_CARRY_THE_DEMO = noClasses().that().resideInAPackage(APP)
            .should().dependOnClassesThat().resideInAnyPackage(DEMO, "dev.fixgate.localgithub..")
            .because("bot/app is the production jar; the demo and the local GitHub live in bot/demo and test/local-github");

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

    /** test/local-github is used by bot/demo (fixgate demo) and tests, so it may use nothing of ours. */
    static final ArchRule LOCAL_GITHUB_IS_STANDALONE = noClasses().that().resideInAPackage("dev.fixgate.localgithub..")
            .should().dependOnClassesThat(resideInAPackage("dev.fixgate..")
                    .and(not(resideInAPackage("dev.fixgate.localgithub.."))))
            .because("the demo depends on the local GitHub, so the local GitHub cannot depend on the app");

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
                    "dev.fixgate.app.cli..", "dev.fixgate.app.web..", "dev.fixgate.app.github..", Pipeline.AUDIT_PACKAGE + "..",
                    PIPELINE, WIRING, REPORT, "dev.fixgate.app.chatops.."))
            .because("store, config, json, redact and jobs are used by the stages, not the other way round");

    /**
     * The evidence report only reads: the store, the audit log and the playbooks' compliance mappings. It drives no
     * stage and reaches no outer layer, so a report can never change what it reports on.
     */
    static final ArchRule THE_REPORT_ONLY_READS = noClasses().that().resideInAPackage(REPORT)
            .should().dependOnClassesThat().resideInAnyPackage(concat(stagePackages(Pipeline.stages()),
                    "dev.fixgate.app.cli..", "dev.fixgate.app.web..", "dev.fixgate.app.github..", "dev.fixgate.app.jobs..",
                    PIPELINE, WIRING))
            .because("fixgate report reads what the stages stored; it never runs them");

    /** Only the commands produce reports: nothing the service is made of depends on the report. */
    static final ArchRule ONLY_THE_COMMANDS_USE_THE_REPORT = noClasses()
            .that().resideOutsideOfPackages(REPORT, "dev.fixgate.app.cli..", WIRING, DEMO)
            .should().dependOnClassesThat().resideInAPackage(REPORT)
            .because("the report is an output of the store, not an input of any stage");

    /** No stage reaches the outer layers (CLI, web, the pipeline that drives them, the wiring): they call the stages. */
    static final ArchRule STAGES_DO_NOT_USE_THE_OUTER_LAYERS = noClasses()
            .that().resideInAnyPackage(stagePackages(Pipeline.stages()))
            .should().dependOnClassesThat().resideInAnyPackage("dev.fixgate.app.cli..", "dev.fixgate.app.web..", PIPELINE,
                    WIRING, "dev.fixgate.app.chatops..")
            .because("the CLI, the web server, slash commands and the pipeline drive the stages");

    /** No package of ours depends on itself through others: every module's packages form a hierarchy. */
    static final ArchRule NO_PACKAGE_CYCLES = SlicesRuleDefinition.slices().matching("dev.fixgate.(**)")
            .should().beFreeOfCycles()
            .because("a cycle makes two packages one in all but name; layering is what the dependency rules check");

    /**
     * The remediation chain (locate → plan → assess → gate) has one owner: a stage's entry point (a method marked
     * {@link PipelineStep}) is called only by the pipeline package and by its own package.
     */
    static final ArchRule THE_CHAIN_IS_DRIVEN_ONLY_BY_THE_PIPELINE = classes()
            .that().resideOutsideOfPackage(PIPELINE)
            .should(notCallAPipelineStepOfAnotherPackage())
            .because("the flow has one owner: serve, the demo, assess and plan all run dev.fixgate.app.pipeline");

    /**
     * The object graph has one builder: the gate, the gatekeeper, the remediation chain, ingest, every job
     * handler and the Terraform state sources (with the S3 reader and its client) are constructed (or obtained from
     * their static factories) only in the wiring package.
     */
    static final ArchRule THE_GRAPH_IS_BUILT_ONLY_IN_WIRING = classes()
            .that().resideOutsideOfPackage(WIRING)
            .should(notBuildAWiredObject())
            .because("a change of fixgate.yml must mean the same to every command: objects are wired in one place");

    /** Only the commands (the CLI and the demo) assemble the service; nothing the service is made of reaches back. */
    static final ArchRule ONLY_THE_COMMANDS_USE_THE_WIRING = noClasses()
            .that().resideOutsideOfPackages(WIRING, "dev.fixgate.app.cli..", DEMO)
            .should().dependOnClassesThat().resideInAPackage(WIRING)
            .because("the wiring builds the graph; the graph does not build itself");

    /**
     * Guardrail pull requests are delivered by the deliver stage's code (PullRequestDelivery and its committers), so
     * they are idempotent, capped, gated and recorded exactly as fix pull requests are: the prevent stage never writes
     * to GitHub or git itself — no {@code create*} call on a repository, no git object or ref builder, no JGit that
     * writes objects, refs or pushes (reading a checkout's history, as {@code fixgate check} does, is fine).
     */
    static final ArchRule GUARDRAILS_ARE_DELIVERED_BY_DELIVER = noClasses()
            .that().resideInAPackage(Pipeline.Stage.PREVENT.packageName() + "..")
            .should().callMethodWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
                            JavaClass.Predicates.assignableTo("org.kohsuke.github.GHRepository")))
                    .and(JavaCall.Predicates.target(HasName.Predicates.nameMatching("create.*"))))
            .orShould().dependOnClassesThat().haveNameMatching(
                    "org\\.kohsuke\\.github\\.(GHTreeBuilder|GHCommitBuilder|GHBlobBuilder|GHContentBuilder|GHPullRequest)"
                            + "|org\\.eclipse\\.jgit\\.(transport\\..*|dircache\\..*|lib\\.(ObjectInserter|RefUpdate).*"
                            + "|api\\.(PushCommand|CommitCommand).*)")
            .because("guardrail pull requests reuse the deliver stage's PullRequestDelivery; a second way to commit and"
                    + " open pull requests would skip its idempotence, caps and gate");

    /** A stage may use earlier stages, never a later one. */
    static ArchRule stageDoesNotUseLaterStages(Pipeline.Stage stage) {
        List<Pipeline.Stage> later = Pipeline.stages().subList(stage.ordinal() + 1, Pipeline.stages().size());
        return noClasses().that().resideInAPackage(stage.packageName() + "..")
                .should().dependOnClassesThat().resideInAnyPackage(stagePackages(later))
                .allowEmptyShould(true)
                .because("stage " + stage.name().toLowerCase(Locale.ROOT) + " comes before " + later);
    }

    /** Calls a {@link PipelineStep} method declared in another package than the caller's. */
    static ArchCondition<JavaClass> notCallAPipelineStepOfAnotherPackage() {
        return new ArchCondition<>("not call a @PipelineStep method of another package") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                for (JavaCodeUnitAccess<?> call : item.getCodeUnitAccessesFromSelf()) {
                    for (JavaMember member : call.getTarget().resolveMember().stream().toList()) {
                        JavaCodeUnit target = (JavaCodeUnit) member;
                        if (target.isAnnotatedWith(PipelineStep.class)
                                && !target.getOwner().getPackageName().equals(item.getPackageName())) {
                            events.add(SimpleConditionEvent.violated(item, call.getDescription()
                                    + " — only dev.fixgate.app.pipeline chains the stages"));
                        }
                    }
                }
            }
        };
    }

    /**
     * The classes only the wiring builds: the gate, the chain, ingest, the job handlers, the slash commands and the
     * Terraform state sources (whose S3 reader holds credentials and clients the service configuration sets up).
     */
    static boolean wired(JavaClass c) {
        return c.isAssignableTo(RemediationSafety.class) || c.isAssignableTo(Gatekeeper.class)
                || c.isAssignableTo(Remediation.class) || c.isAssignableTo(Intake.class)
                || c.isAssignableTo(JobHandler.class) || c.isAssignableTo(MergeHandler.class)
                || c.isAssignableTo(ChatOps.class) || c.isAssignableTo(CommandRunner.class)
                || c.isAssignableTo(StateSources.class) || c.isAssignableTo(S3StateReader.class);
    }

    /** Constructs a wired class, or calls a static factory that returns one, from outside that class. */
    static ArchCondition<JavaClass> notBuildAWiredObject() {
        return new ArchCondition<>("not construct the gate, the chain, ingest or a job handler") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                for (JavaCodeUnitAccess<?> call : item.getCodeUnitAccessesFromSelf()) {
                    for (JavaMember member : call.getTarget().resolveMember().stream().toList()) {
                        JavaCodeUnit target = (JavaCodeUnit) member;
                        JavaClass owner = target.getOwner();
                        // a constructor of a wired class, or a static factory of one declared outside the wiring
                        boolean builds = target instanceof JavaConstructor ? wired(owner)
                                : target.getModifiers().contains(JavaModifier.STATIC)
                                        && wired(target.getRawReturnType()) && !owner.getPackageName().startsWith(
                                                WIRING.substring(0, WIRING.length() - 2));
                        if (builds && !owner.equals(item) && !owner.getName().startsWith(item.getName() + "$")
                                && !item.getName().startsWith(owner.getName() + "$")) {
                            events.add(SimpleConditionEvent.violated(item, call.getDescription()
                                    + " — build it in dev.fixgate.app.wiring"));
                        }
                    }
                }
            }
        };
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
