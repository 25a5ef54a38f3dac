package dev.fixgate.provider.aws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.fixgate.provider.common.resource.CloudResources;
import dev.fixgate.provider.common.stream.Problems;
import dev.fixgate.provider.common.stream.Severities;
import dev.fixgate.provider.common.stream.Span;
import dev.fixgate.provider.common.stream.Tokens;
import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.finding.ControlId;
import dev.fixgate.spi.finding.Finding;
import dev.fixgate.spi.finding.FindingParser.Sink;
import dev.fixgate.spi.finding.ParseContext;
import dev.fixgate.spi.finding.Severity;
import dev.fixgate.spi.finding.CloudResource;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of one ASFF finding that fixgate keeps, filled while its tokens go by and turned into a
 * {@link Finding} (or a rejection) at its end. One instance is reused for every record of a parse: resetting
 * a dozen fields is cheaper than allocating a builder per finding.
 *
 * <p>Kept: {@code Id}, {@code ProductArn}, {@code ProductName}, {@code GeneratorId}, {@code AwsAccountId},
 * {@code Region}, {@code Title}, the four timestamps, {@code RecordState}, {@code WorkflowState},
 * {@code Workflow.Status}, {@code Compliance.Status}/{@code SecurityControlId}, {@code Severity} (and
 * {@code FindingProviderFields.Severity} as fallback), the control fields of {@code ProductFields}, and every
 * entry of {@code Resources} with its {@code Tags} (for locate's code-to-cloud tags; at most
 * {@link CloudResource#MAX_TAGS}, and only keys and values within AWS's limits). Everything else is skipped unread.
 *
 * <p>A finding about several resources (GuardDuty, Inspector and custom integrations list more than one; Security Hub's
 * own controls list one) is one {@link Finding} per resource that has an {@code Id}: each is located and fixed on its
 * own, and dropping all but the first would lose the others silently.
 */
final class AsffRecord {

    static final String MISSING = "ingest.missing-field";
    static final String NO_RESOURCE = "ingest.no-resource";
    static final String BAD_SEVERITY = "ingest.severity";
    static final String NO_CONTROL = "ingest.no-control";

    private static final String SECURITY_HUB = "securityhub";
    private static final String PROWLER = "prowler";

    private final ParseContext context;
    private final Sink sink;

    private String id;
    private String productArn;
    private String productName;
    private String providerName;
    private String generatorId;
    private String account;
    private String region;
    private String title;
    private String firstObservedAt;
    private String lastObservedAt;
    private String createdAt;
    private String updatedAt;
    private String recordState;
    private String workflowState;
    private String workflowStatus;
    private String complianceStatus;
    private String securityControlId;
    private String severityLabel;
    private String severityNormalized;
    private String severityOriginal;
    private String providerSeverityLabel;
    private String controlId;
    private String ruleId;
    private String standardsControlArn;
    private String standardsGuideArn;
    private int resources;
    private String lastProductArn;
    private String lastProductName;
    private String lastTool;
    private String resourceId;
    private String resourceType;
    private String resourcePartition;
    private String resourceRegion;
    private final Map<String, String> resourceTags = new LinkedHashMap<>();
    /** Resources after the first, {Id, Type, Partition, Region}; rarely any, so the first keeps its own fields. */
    private final java.util.List<String[]> moreResources = new java.util.ArrayList<>(0);
    /** The tags of {@link #moreResources}, index by index. */
    private final java.util.List<Map<String, String>> moreTags = new java.util.ArrayList<>(0);

    AsffRecord(ParseContext context, Sink sink) {
        this.context = context;
        this.sink = sink;
    }

    void reset() {
        id = productArn = productName = providerName = generatorId = account = region = title = "";
        firstObservedAt = lastObservedAt = createdAt = updatedAt = "";
        recordState = workflowState = workflowStatus = complianceStatus = securityControlId = "";
        severityLabel = severityNormalized = severityOriginal = providerSeverityLabel = "";
        controlId = ruleId = standardsControlArn = standardsGuideArn = "";
        resources = 0;
        resourceId = resourceType = resourcePartition = resourceRegion = "";
        resourceTags.clear();
        moreResources.clear();
        moreTags.clear();
    }

    /** Reads the value of top-level member {@code name}; the parser is on its FIELD_NAME. */
    void field(String name, JsonParser p, Problems problems) throws IOException {
        switch (name) {
            case "Id" -> id = Tokens.text(p, problems);
            case "ProductArn" -> productArn = Tokens.text(p, problems);
            case "ProductName" -> productName = Tokens.text(p, problems);
            case "GeneratorId" -> generatorId = Tokens.text(p, problems);
            case "AwsAccountId" -> account = Tokens.text(p, problems);
            case "Region" -> region = Tokens.text(p, problems);
            case "Title" -> title = Tokens.text(p, problems);
            case "FirstObservedAt" -> firstObservedAt = Tokens.text(p, problems);
            case "LastObservedAt" -> lastObservedAt = Tokens.text(p, problems);
            case "CreatedAt" -> createdAt = Tokens.text(p, problems);
            case "UpdatedAt" -> updatedAt = Tokens.text(p, problems);
            case "RecordState" -> recordState = Tokens.text(p, problems);
            case "WorkflowState" -> workflowState = Tokens.text(p, problems);
            case "Workflow" -> workflow(p, problems);
            case "Compliance" -> compliance(p, problems);
            case "Severity" -> severity(p, problems);
            case "FindingProviderFields" -> findingProviderFields(p, problems);
            case "ProductFields" -> productFields(p, problems);
            case "Resources" -> resources(p, problems);
            default -> Tokens.skipValue(p);
        }
    }

    private void workflow(JsonParser p, Problems problems) throws IOException {
        if (!Tokens.object(p, problems)) {
            return;
        }
        String f;
        while ((f = Tokens.nextField(p)) != null) {
            if (f.equals("Status")) {
                workflowStatus = Tokens.text(p, problems);
            } else {
                Tokens.skipValue(p);
            }
        }
    }

    private void compliance(JsonParser p, Problems problems) throws IOException {
        if (!Tokens.object(p, problems)) {
            return;
        }
        String f;
        while ((f = Tokens.nextField(p)) != null) {
            switch (f) {
                case "Status" -> complianceStatus = Tokens.text(p, problems);
                case "SecurityControlId" -> securityControlId = Tokens.text(p, problems);
                default -> Tokens.skipValue(p);
            }
        }
    }

    private void severity(JsonParser p, Problems problems) throws IOException {
        if (!Tokens.object(p, problems)) {
            return;
        }
        String f;
        while ((f = Tokens.nextField(p)) != null) {
            switch (f) {
                case "Label" -> severityLabel = Tokens.text(p, problems);
                case "Normalized" -> severityNormalized = Tokens.text(p, problems);
                case "Original" -> severityOriginal = Tokens.text(p, problems);
                default -> Tokens.skipValue(p);
            }
        }
    }

    private void findingProviderFields(JsonParser p, Problems problems) throws IOException {
        if (!Tokens.object(p, problems)) {
            return;
        }
        String f;
        while ((f = Tokens.nextField(p)) != null) {
            if (f.equals("Severity") && Tokens.object(p, problems)) {
                String g;
                while ((g = Tokens.nextField(p)) != null) {
                    if (g.equals("Label")) {
                        providerSeverityLabel = Tokens.text(p, problems);
                    } else {
                        Tokens.skipValue(p);
                    }
                }
            } else if (!f.equals("Severity")) {
                Tokens.skipValue(p);
            }
        }
    }

    private void productFields(JsonParser p, Problems problems) throws IOException {
        if (!Tokens.object(p, problems)) {
            return;
        }
        String f;
        while ((f = Tokens.nextField(p)) != null) {
            switch (f) {
                case "ControlId" -> controlId = Tokens.text(p, problems);
                case "RuleId" -> ruleId = Tokens.text(p, problems);
                case "StandardsControlArn" -> standardsControlArn = Tokens.text(p, problems);
                case "StandardsGuideArn" -> standardsGuideArn = Tokens.text(p, problems);
                case "ProviderName" -> providerName = Tokens.text(p, problems);
                default -> Tokens.skipValue(p);
            }
        }
    }

    private void resources(JsonParser p, Problems problems) throws IOException {
        if (!Tokens.array(p, problems)) {
            return;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
            resources++;
            if (p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren();
                continue;
            }
            String[] r = {"", "", "", ""};
            Map<String, String> tags = new LinkedHashMap<>();
            String f;
            while ((f = Tokens.nextField(p)) != null) {
                switch (f) {
                    case "Id" -> r[0] = Tokens.text(p, problems);
                    case "Type" -> r[1] = Tokens.text(p, problems);
                    case "Partition" -> r[2] = Tokens.text(p, problems);
                    case "Region" -> r[3] = Tokens.text(p, problems);
                    case "Tags" -> tags(p, problems, tags);
                    default -> Tokens.skipValue(p);
                }
            }
            if (resourceId.isBlank() && moreResources.isEmpty()) {
                resourceId = r[0];
                resourceType = r[1];
                resourcePartition = r[2];
                resourceRegion = r[3];
                resourceTags.putAll(tags);
            } else if (!r[0].isBlank()) {
                moreResources.add(r);
                moreTags.add(tags);
            }
        }
    }

    /**
     * {@code Resources[n].Tags}: a map of strings. Tags past {@link CloudResource#MAX_TAGS}, and keys or values
     * longer than AWS allows (128 / 256 characters), are left out rather than failing the finding.
     */
    private static void tags(JsonParser p, Problems problems, Map<String, String> into) throws IOException {
        if (!Tokens.object(p, problems)) {
            return;
        }
        String key;
        while ((key = Tokens.nextField(p)) != null) {
            String value = Tokens.text(p, problems);
            if (into.size() < CloudResource.MAX_TAGS && key.length() <= 128 && value.length() <= 256) {
                into.put(key, value);
            }
        }
    }

    /** Hands the finished record to the sink: a finding, or a rejection saying why not. */
    void emit(SourceLocation where, Problems problems) {
        if (!problems.any()) {
            check(where, problems);
        }
        var problem = problems.first();
        if (problem.isPresent()) {
            var pr = problem.get();
            sink.rejected(where.withPointer(pr.pointer()), pr.code(), pr.reason());
            return;
        }
        String base = where.pointer();
        String tool = tool();
        String sourceControl = sourceControlId(tool);
        Severity severity = severity(problems, base).orElseThrow();
        var span = Span.read(new String[] {firstObservedAt, createdAt}, new String[] {lastObservedAt, updatedAt},
                context.observedAt(), problems, base);
        if (span.isEmpty()) {
            var pr = problems.first().orElseThrow();
            sink.rejected(where.withPointer(pr.pointer()), pr.code(), pr.reason());
            return;
        }
        ControlId control = context.controls().resolve(tool, sourceControl);
        var resource = CloudResources.aws(resourceId, resourceType, account,
                resourceRegion.isEmpty() ? region : resourceRegion, resourcePartition).withTags(resourceTags);
        boolean active = active();
        sink.finding(new Finding(tool, id, control, sourceControl, severity, sourceSeverity(), resource, title,
                active, span.get().first(), span.get().last(), where));
        for (int i = 0; i < moreResources.size(); i++) {
            String[] r = moreResources.get(i);
            var more = CloudResources.aws(r[0], r[1], account, r[3].isEmpty() ? region : r[3], r[2])
                    .withTags(moreTags.get(i));
            sink.finding(new Finding(tool, id, control, sourceControl, severity, sourceSeverity(), more, title,
                    active, span.get().first(), span.get().last(), where));
        }
    }

    void rejectNonObject(SourceLocation where, JsonToken token) {
        sink.rejected(where, Tokens.WRONG_TYPE, "a finding must be an object, found " + token);
    }

    /** Required members and decodable values; records the first problem. */
    private void check(SourceLocation where, Problems problems) {
        String base = where.pointer();
        if (id.isBlank()) {
            problems.add(MISSING, base + "/Id", "the finding has no Id");
        } else if (resourceId.isBlank()) {
            problems.add(NO_RESOURCE, base + "/Resources",
                    resources == 0 ? "the finding names no resource" : "no resource of the finding has an Id");
        } else if (sourceControlId(tool()).isBlank()) {
            problems.add(NO_CONTROL, base + "/GeneratorId",
                    "no control id in Compliance.SecurityControlId, ProductFields or GeneratorId");
        } else {
            severity(problems, base);
        }
    }

    private Optional<Severity> severity(Problems problems, String base) {
        if (!severityLabel.isBlank()) {
            var s = Severities.label(severityLabel);
            if (s.isEmpty()) {
                problems.add(BAD_SEVERITY, base + "/Severity/Label", "unknown severity label '" + severityLabel + "'");
            }
            return s;
        }
        if (!providerSeverityLabel.isBlank()) {
            var s = Severities.label(providerSeverityLabel);
            if (s.isEmpty()) {
                problems.add(BAD_SEVERITY, base + "/FindingProviderFields/Severity/Label",
                        "unknown severity label '" + providerSeverityLabel + "'");
            }
            return s;
        }
        if (!severityNormalized.isBlank()) {
            var s = Severities.asffNormalized(severityNormalized);
            if (s.isEmpty()) {
                problems.add(BAD_SEVERITY, base + "/Severity/Normalized",
                        "Severity.Normalized must be 0-100, is '" + severityNormalized + "'");
            }
            return s;
        }
        var s = Severities.label(severityOriginal);
        if (s.isEmpty()) {
            problems.add(BAD_SEVERITY, base + "/Severity", "the finding has no usable severity");
        }
        return s;
    }

    private String sourceSeverity() {
        if (!severityLabel.isBlank()) {
            return severityLabel;
        }
        if (!providerSeverityLabel.isBlank()) {
            return providerSeverityLabel;
        }
        return severityNormalized.isBlank() ? severityOriginal : severityNormalized;
    }

    /**
     * The reporting product: the product part of {@code ProductArn}
     * ({@code arn:aws:securityhub:<region>::product/<company>/<product>}), with Security Hub's own findings as
     * {@code securityhub} and Prowler's as {@code prowler}.
     */
    private String tool() {
        if (providerName.equalsIgnoreCase(PROWLER)) {
            return PROWLER;
        }
        // A file holds one or two products; working the name out once per product saves a substring and a
        // lower-casing per finding.
        if (productArn.equals(lastProductArn) && productName.equals(lastProductName)) {
            return lastTool;
        }
        lastProductArn = productArn;
        lastProductName = productName;
        lastTool = toolOf(productArn, productName);
        return lastTool;
    }

    private static String toolOf(String productArn, String productName) {
        int at = productArn.indexOf(":product/");
        if (at >= 0) {
            String companyProduct = productArn.substring(at + ":product/".length());
            int slash = companyProduct.indexOf('/');
            String product = slash < 0 ? companyProduct : companyProduct.substring(slash + 1);
            if (!product.isBlank()) {
                return product.toLowerCase(Locale.ROOT);
            }
        }
        if (!productName.isBlank()) {
            return productName.toLowerCase(Locale.ROOT).replace(" ", "");
        }
        return SECURITY_HUB;
    }

    /** The tool's control id, in the form the catalog lists it (see {@link SecurityHubControlIds}). */
    private String sourceControlId(String tool) {
        if (tool.equals(SECURITY_HUB)) {
            if (!securityControlId.isBlank()) {
                return securityControlId;
            }
            var fromArn = SecurityHubControlIds.fromStandardsControlArn(standardsControlArn);
            if (fromArn.isPresent()) {
                return fromArn.get();
            }
            var fromGenerator = SecurityHubControlIds.fromGeneratorId(generatorId);
            if (fromGenerator.isPresent()) {
                return fromGenerator.get();
            }
            if (!ruleId.isBlank() && !standardsGuideArn.isBlank()) {
                var fromGuide = SecurityHubControlIds.fromGeneratorId(standardsGuideArn + "/rule/" + ruleId);
                if (fromGuide.isPresent()) {
                    return fromGuide.get();
                }
            }
            return controlId.isBlank() ? generatorId : controlId;
        }
        if (tool.equals(PROWLER) && generatorId.startsWith("prowler-")) {
            return generatorId.substring("prowler-".length());
        }
        return generatorId;
    }

    /** ASFF says a finding is gone by archiving it, resolving or suppressing it, or by a passed compliance check. */
    private boolean active() {
        return !recordState.equalsIgnoreCase("ARCHIVED")
                && !workflowStatus.equalsIgnoreCase("RESOLVED")
                && !workflowStatus.equalsIgnoreCase("SUPPRESSED")
                && !workflowState.equalsIgnoreCase("RESOLVED")
                && !complianceStatus.equalsIgnoreCase("PASSED");
    }
}
