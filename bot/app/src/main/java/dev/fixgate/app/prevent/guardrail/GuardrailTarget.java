package dev.fixgate.app.prevent.guardrail;

import dev.fixgate.spi.finding.Cloud;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a guardrail is attached: an AWS organisation root, organisational unit or account; an Azure management group
 * or subscription; a GCP organisation, folder or project. The syntax of the id says which (the patterns AWS
 * Organizations, Azure Resource Manager and Resource Manager document for them), so a target can be given as a
 * plain string on the command line or in {@code guardrails.targets}.
 *
 * @param id the id exactly as the cloud's API takes it ({@code ou-ab12-cdef3456},
 *           {@code /providers/Microsoft.Management/managementGroups/platform}, {@code folders/1234})
 */
public record GuardrailTarget(Kind kind, String id) {

    /** The kinds of target, each with its cloud. */
    public enum Kind {
        AWS_ROOT(Cloud.AWS, "root"), AWS_ORGANIZATIONAL_UNIT(Cloud.AWS, "organizational unit"),
        AWS_ACCOUNT(Cloud.AWS, "account"),
        AZURE_MANAGEMENT_GROUP(Cloud.AZURE, "management group"), AZURE_SUBSCRIPTION(Cloud.AZURE, "subscription"),
        GCP_ORGANIZATION(Cloud.GCP, "organization"), GCP_FOLDER(Cloud.GCP, "folder"), GCP_PROJECT(Cloud.GCP, "project");

        private final Cloud cloud;
        private final String label;

        Kind(Cloud cloud, String label) {
            this.cloud = cloud;
            this.label = label;
        }

        public Cloud cloud() {
            return cloud;
        }

        public String label() {
            return label;
        }
    }

    // AWS Organizations API reference: RootId ^r-[0-9a-z]{4,32}$, OU ^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$, account ^\d{12}$
    private static final Pattern AWS_ROOT = Pattern.compile("r-[0-9a-z]{4,32}");
    private static final Pattern AWS_OU = Pattern.compile("ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}");
    private static final Pattern AWS_ACCOUNT = Pattern.compile("\\d{12}");
    // Azure: management group names are up to 90 letters, digits, - _ ( ) . ; subscriptions are GUIDs
    private static final Pattern AZURE_MG = Pattern.compile(
            "/providers/Microsoft\\.Management/managementGroups/([A-Za-z0-9_().-]{1,90})", Pattern.CASE_INSENSITIVE);
    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern AZURE_SUBSCRIPTION = Pattern.compile("/subscriptions/(" + GUID.pattern() + ")");
    // GCP: organizations/<number>, folders/<number>, projects/<project id: 6-30 lower-case letters, digits, hyphens>
    private static final Pattern GCP_ORG = Pattern.compile("organizations/\\d{1,20}");
    private static final Pattern GCP_FOLDER = Pattern.compile("folders/\\d{1,20}");
    private static final Pattern GCP_PROJECT = Pattern.compile("projects/[a-z][a-z0-9-]{4,28}[a-z0-9]");

    public GuardrailTarget {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    public Cloud cloud() {
        return kind.cloud();
    }

    /**
     * The target {@code id} names.
     *
     * @throws GuardrailException {@code guardrail.bad-target} naming the forms accepted
     */
    public static GuardrailTarget parse(String id) {
        return tryParse(id).orElseThrow(() -> new GuardrailException("guardrail.bad-target", "'" + id
                + "' is not a guardrail target: use an AWS root (r-…), organizational unit (ou-…-…) or 12-digit"
                + " account id, an Azure /providers/Microsoft.Management/managementGroups/<name> or"
                + " /subscriptions/<guid>, or a GCP organizations/<n>, folders/<n> or projects/<id>"));
    }

    public static Optional<GuardrailTarget> tryParse(String raw) {
        String id = raw == null ? "" : raw.strip();
        if (AWS_ROOT.matcher(id).matches()) {
            return Optional.of(new GuardrailTarget(Kind.AWS_ROOT, id));
        }
        if (AWS_OU.matcher(id).matches()) {
            return Optional.of(new GuardrailTarget(Kind.AWS_ORGANIZATIONAL_UNIT, id));
        }
        if (AWS_ACCOUNT.matcher(id).matches()) {
            return Optional.of(new GuardrailTarget(Kind.AWS_ACCOUNT, id));
        }
        var mg = AZURE_MG.matcher(id);
        if (mg.matches()) {
            return Optional.of(new GuardrailTarget(Kind.AZURE_MANAGEMENT_GROUP,
                    "/providers/Microsoft.Management/managementGroups/" + mg.group(1)));
        }
        var sub = AZURE_SUBSCRIPTION.matcher(id);
        if (sub.matches()) {
            return Optional.of(new GuardrailTarget(Kind.AZURE_SUBSCRIPTION, "/subscriptions/" + sub.group(1).toLowerCase(Locale.ROOT)));
        }
        if (GCP_ORG.matcher(id).matches()) {
            return Optional.of(new GuardrailTarget(Kind.GCP_ORGANIZATION, id));
        }
        if (GCP_FOLDER.matcher(id).matches()) {
            return Optional.of(new GuardrailTarget(Kind.GCP_FOLDER, id));
        }
        if (GCP_PROJECT.matcher(id).matches()) {
            return Optional.of(new GuardrailTarget(Kind.GCP_PROJECT, id));
        }
        return Optional.empty();
    }

    /**
     * The target an entry of a repository's {@code accounts} means for {@code cloud}: a 12-digit AWS account, an
     * Azure subscription GUID, a GCP project id; empty when the entry is none of these for that cloud.
     */
    public static Optional<GuardrailTarget> ofAccount(Cloud cloud, String account) {
        String a = account.strip();
        return switch (cloud) {
            case AWS -> AWS_ACCOUNT.matcher(a).matches() ? Optional.of(new GuardrailTarget(Kind.AWS_ACCOUNT, a))
                    : Optional.empty();
            case AZURE -> GUID.matcher(a).matches() ? Optional.of(new GuardrailTarget(Kind.AZURE_SUBSCRIPTION,
                    "/subscriptions/" + a.toLowerCase(Locale.ROOT))) : tryParse(a).filter(t -> t.cloud() == Cloud.AZURE);
            case GCP -> !AWS_ACCOUNT.matcher(a).matches() && !GUID.matcher(a).matches()
                    && GCP_PROJECT.matcher("projects/" + a).matches()
                    ? Optional.of(new GuardrailTarget(Kind.GCP_PROJECT, "projects/" + a))
                    : tryParse(a).filter(t -> t.cloud() == Cloud.GCP);
            case UNKNOWN -> Optional.empty();
        };
    }

    /**
     * A target of {@code cloud} for rendering without one ({@code fixgate guardrails} without {@code --target}): the
     * documentation's example ids, never a real organisation.
     */
    public static GuardrailTarget example(Cloud cloud) {
        return switch (cloud) {
            case AWS -> new GuardrailTarget(Kind.AWS_ORGANIZATIONAL_UNIT, "ou-exam-ple00000");
            case AZURE -> new GuardrailTarget(Kind.AZURE_MANAGEMENT_GROUP,
                    "/providers/Microsoft.Management/managementGroups/example");
            case GCP -> new GuardrailTarget(Kind.GCP_ORGANIZATION, "organizations/123456789012");
            case UNKNOWN -> throw new IllegalArgumentException("no guardrails for an unknown cloud");
        };
    }

    /**
     * The id as a folder, branch and Terraform name part: lower case, letters, digits and {@code -} only
     * ({@code ou-ab12-cdef3456}, {@code mg-platform}, {@code sub-0b1c…}, {@code folder-1234}).
     */
    public String slug() {
        String local = switch (kind) {
            case AZURE_MANAGEMENT_GROUP -> "mg-" + id.substring(id.lastIndexOf('/') + 1);
            case AZURE_SUBSCRIPTION -> "sub-" + id.substring(id.lastIndexOf('/') + 1);
            case GCP_ORGANIZATION -> "org-" + id.substring(id.indexOf('/') + 1);
            case GCP_FOLDER -> "folder-" + id.substring(id.indexOf('/') + 1);
            case GCP_PROJECT -> "project-" + id.substring(id.indexOf('/') + 1);
            default -> id;
        };
        return local.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-");
    }

    /** {@link #slug()} as a Terraform identifier part ({@code -} → {@code _}). */
    public String terraformName() {
        return slug().replace('-', '_');
    }

    /** The name part of a management group or subscription target, for Azure resources. */
    String azureName() {
        return id.substring(id.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return kind.label() + " " + id;
    }
}
