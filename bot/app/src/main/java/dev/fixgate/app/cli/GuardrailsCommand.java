package dev.fixgate.app.cli;

import dev.fixgate.app.config.RepoConfig;
import dev.fixgate.app.json.Json;
import dev.fixgate.app.prevent.guardrail.GuardrailFormat;
import dev.fixgate.app.prevent.guardrail.GuardrailOptions;
import dev.fixgate.app.prevent.guardrail.GuardrailRenderer;
import dev.fixgate.app.prevent.guardrail.GuardrailTarget;
import dev.fixgate.app.prevent.guardrail.RenderedGuardrails;
import dev.fixgate.app.prevent.guardrail.ScpPolicy;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.finding.Cloud;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fixgate guardrails}: every catalog guardrail rendered exactly as a guardrail pull request would deliver it —
 * AWS SCPs packed per target with their sizes and the room left, Azure Policy definitions and assignments with the
 * effect the mode picks, GCP organisation policies.
 */
@Command(name = "guardrails", mixinStandardHelpOptions = true, footer = ExitCodes.FOOTER,
        description = {"Render the catalog's guardrails (AWS SCPs, Azure Policy, GCP organization policies) exactly as"
                + " fixgate delivers them: SCPs merged and packed per target within AWS's quotas (5,120 characters per"
                + " policy, 5 policies per root, OU or account), with each policy's size and room left.",
                "Without --target, each cloud is rendered for an example target; without --out, the files are printed."})
final class GuardrailsCommand implements Callable<Integer> {

    @ParentCommand
    FixgateCommand root;

    @Option(names = "--cloud", paramLabel = "CLOUD", split = ",",
            description = "aws, azure or gcp (repeatable). Default: every cloud of the targets, or all three.")
    List<String> clouds = new ArrayList<>();

    @Option(names = "--target", paramLabel = "ID", description = {"Where the guardrails are attached (repeatable):"
            + " an AWS root r-…, OU ou-…-… or account id; an Azure /providers/Microsoft.Management/managementGroups/NAME"
            + " or /subscriptions/GUID; a GCP organizations/N, folders/N or projects/ID."})
    List<String> targets = new ArrayList<>();

    @Option(names = "--playbook", paramLabel = "ID", split = ",",
            description = "Only these playbooks' guardrails (repeatable). Default: every playbook that has one.")
    List<String> playbooks = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "terraform",
            description = "terraform (default) or json: the clouds' own documents.")
    String format;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "autonomous",
            description = "The guardrails repository's mode: supervised and autonomous enforce (Azure effect Deny),"
                    + " detect and assist only report (Audit). Default: autonomous.")
    String mode;

    @Option(names = "--param", paramLabel = "NAME=VALUE",
            description = "A value a guardrail leaves to the organisation, e.g. customer-id=C01abcd23 (repeatable).")
    Map<String, String> params = new TreeMap<>();

    @Option(names = "--aws-policies-per-target", paramLabel = "N", defaultValue = "4",
            description = "SCPs fixgate may attach to one root, OU or account (1-5; default 4: FullAWSAccess takes one).")
    int awsPolicies;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the files to DIR/<cloud>/<target>/ instead of printing them.")
    Path out;

    @Option(names = "--json", description = "Print a JSON summary (with the files' text unless --out is given).")
    boolean json;

    @Override
    public Integer call() {
        AppContext ctx = root.context();
        GuardrailOptions options = options();
        GuardrailRenderer renderer = new GuardrailRenderer(PlaybookCatalog.builtIn());
        List<RenderedGuardrails> rendered = new ArrayList<>();
        for (GuardrailTarget target : targets()) {
            rendered.add(playbooks.isEmpty() ? renderer.renderAll(target, options)
                    : renderer.render(target, playbooks, options));
        }
        // everything is rendered (and every error raised) before anything is written
        if (out != null) {
            write(ctx.workingDir().resolve(out), rendered);
        }
        if (json) {
            ctx.out().println(Json.prettyInOrder(rendered.stream().map(r -> summary(r, out == null)).toList()));
            return ExitCodes.OK;
        }
        for (RenderedGuardrails r : rendered) {
            if (out == null) {
                r.files().forEach((path, text) -> {
                    ctx.out().println("==> " + r.directory() + "/" + path + " <==");
                    ctx.out().print(text.endsWith("\n") ? text : text + "\n");
                    ctx.out().println();
                });
            }
            print(ctx, r, options);
        }
        return ExitCodes.OK;
    }

    private GuardrailOptions options() {
        GuardrailFormat f;
        RepoConfig.Mode m;
        try {
            f = GuardrailFormat.of(format);
        } catch (IllegalArgumentException e) {
            throw new FixgateException("cli.bad-option", "--format must be terraform or json, is '" + format + "'");
        }
        try {
            m = RepoConfig.Mode.of(mode);
        } catch (IllegalArgumentException e) {
            throw new FixgateException("cli.bad-option", "--mode must be detect, assist, supervised or autonomous, is '"
                    + mode + "'");
        }
        if (awsPolicies < 1 || awsPolicies > ScpPolicy.MAX_PER_TARGET) {
            throw new FixgateException("cli.bad-option", "--aws-policies-per-target must be 1.." + ScpPolicy.MAX_PER_TARGET);
        }
        return new GuardrailOptions(f, m, params, awsPolicies);
    }

    private List<GuardrailTarget> targets() {
        List<Cloud> wanted = new ArrayList<>();
        for (String c : clouds) {
            Cloud cloud = switch (c.strip().toLowerCase(Locale.ROOT)) {
                case "aws" -> Cloud.AWS;
                case "azure" -> Cloud.AZURE;
                case "gcp" -> Cloud.GCP;
                default -> throw new FixgateException("cli.bad-option", "--cloud must be aws, azure or gcp, is '" + c + "'");
            };
            if (!wanted.contains(cloud)) {
                wanted.add(cloud);
            }
        }
        List<GuardrailTarget> out = new ArrayList<>();
        for (String t : targets) {
            GuardrailTarget target;
            try {
                target = GuardrailTarget.parse(t);
            } catch (dev.fixgate.app.prevent.guardrail.GuardrailException e) {
                throw new FixgateException("cli.bad-option", "--target: " + e.getMessage());
            }
            if (wanted.isEmpty() || wanted.contains(target.cloud())) {
                out.add(target);
            }
        }
        if (targets.isEmpty()) {
            for (Cloud c : wanted.isEmpty() ? List.of(Cloud.AWS, Cloud.AZURE, Cloud.GCP) : wanted) {
                out.add(GuardrailTarget.example(c));
            }
        } else if (out.isEmpty()) {
            throw new FixgateException("cli.bad-option", "no --target is of the clouds --cloud names");
        }
        return out;
    }

    private static void print(AppContext ctx, RenderedGuardrails r, GuardrailOptions options) {
        ctx.out().printf("%s %s (%s): %d playbooks%n", r.target().cloud().id(), r.target().id(), r.format().id(),
                r.playbooks().size());
        if (!r.scps().isEmpty()) {
            ctx.out().printf("  %d SCP%s of the %d fixgate may attach (AWS allows %d per root, OU or account;"
                            + " FullAWSAccess takes one)%n", r.scps().size(), r.scps().size() == 1 ? "" : "s",
                    options.awsPoliciesPerTarget(), ScpPolicy.MAX_PER_TARGET);
            for (ScpPolicy p : r.scps()) {
                ctx.out().printf(Locale.ROOT, "  %-44s %,6d / %,d characters  %,6d left  %2d statements%n", p.name(), p.size(),
                        ScpPolicy.MAX_CHARACTERS, p.room(), p.statements().size());
            }
        }
        if (r.target().cloud() == Cloud.AZURE) {
            ctx.out().printf("  effect %s (mode %s)%n", dev.fixgate.app.prevent.guardrail.AzureEffect.enforcing(options.mode())
                    ? "Deny" : "Audit", options.mode().name().toLowerCase(Locale.ROOT));
        }
        if (!r.variables().isEmpty()) {
            ctx.out().println("  Terraform variables to set: " + String.join(", ", r.variables()));
        }
        ctx.out().println("  files: " + String.join(", ", r.files().keySet()));
        if (!r.skipped().isEmpty()) {
            ctx.out().printf("  no %s guardrail (%d): %s%n", r.target().cloud().id(), r.skipped().size(),
                    String.join(", ", r.skipped().stream().map(RenderedGuardrails.Skipped::playbook).toList()));
        }
    }

    private static Map<String, Object> summary(RenderedGuardrails r, boolean withText) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cloud", r.target().cloud().id());
        m.put("target", r.target().id());
        m.put("kind", r.target().kind().label());
        m.put("format", r.format().id());
        m.put("directory", r.directory());
        m.put("playbooks", List.copyOf(r.playbooks()));
        m.put("policies", r.scps().stream().map(ScpPolicy::summary).toList());
        m.put("variables", List.copyOf(r.variables()));
        m.put("skipped", r.skipped().stream().map(s -> Map.of("playbook", s.playbook(), "reason", s.reason())).toList());
        m.put("files", withText ? new TreeMap<>(r.files()) : List.copyOf(r.files().keySet()));
        return m;
    }

    /** Each file through a temporary sibling and an atomic rename: a file is either all there or not there. */
    private static void write(Path dir, List<RenderedGuardrails> rendered) {
        for (RenderedGuardrails r : rendered) {
            Path targetDir = dir.resolve(r.directory());
            try {
                Files.createDirectories(targetDir);
                for (Map.Entry<String, String> f : r.files().entrySet()) {
                    Path file = targetDir.resolve(f.getKey());
                    Path tmp = Files.createTempFile(targetDir, ".fixgate-", ".tmp");
                    try {
                        Files.writeString(tmp, f.getValue(), StandardCharsets.UTF_8);
                        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                }
            } catch (IOException e) {
                throw new FixgateException("cli.cannot-write", targetDir + ": " + e.getMessage());
            }
        }
    }
}
