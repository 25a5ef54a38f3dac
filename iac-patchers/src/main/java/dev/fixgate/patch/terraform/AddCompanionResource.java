package dev.fixgate.patch.terraform;

import dev.fixgate.patch.Refusal;
import dev.fixgate.patch.Outcomes;
import dev.fixgate.patch.Params;
import dev.fixgate.patch.SimpleFactory;
import dev.fixgate.patch.TextEdit;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code terraform.add_companion_resource}: the AWS provider v4 split S3 settings into their own resources
 * ({@code aws_s3_bucket_public_access_block}, {@code _versioning}, {@code _server_side_encryption_configuration},
 * {@code _logging}). This operation makes the owner have one with the given body:
 * <ol>
 *   <li>a companion of that type referencing the owner anywhere in the module (by expression, or by the owner's
 *       literal name) that already has the body → already compliant; one that differs is corrected in place;</li>
 *   <li>the pre-v4 {@code inline} form on the owner counts too: satisfied → compliant, present but wrong →
 *       corrected there (adding a companion next to an inline block makes the two fight);</li>
 *   <li>a module pinned to the AWS provider below v4 gets the inline form;</li>
 *   <li>otherwise a new companion goes right after the owner, referencing it by expression
 *       ({@code bucket = aws_s3_bucket.logs.id}; {@code count}/{@code for_each} owners are mirrored).</li>
 * </ol>
 *
 * @param type           companion resource type
 * @param ownerAttribute the companion's attribute that names the owner ({@code bucket})
 * @param ownerReference the owner attribute it references ({@code id})
 * @param body           what the companion must contain besides the owner reference
 * @param defaults       more settings for a companion we create (not enforced on an existing one), e.g. the
 *                       other three public-access flags when the finding is about one of them; may be empty
 * @param inline         the equivalent nested block(s) on the owner for provider v3; empty when there is none
 * @param keepExisting   {@code when_present: keep}: an existing companion or inline block counts as compliant
 * @param refuseExisting {@code when_present: refuse}: an existing companion that does not already have the body is
 *                       refused rather than changed — for documents a person must merge (a bucket policy's
 *                       statements), where overwriting would drop what is there
 * @param resourceTypes  owner types this applies to (empty: any)
 *
 * <p>In {@code body}, {@code @owner} stands for the owner in the companion's position: {@code aws_s3_bucket.logs},
 * {@code aws_s3_bucket.logs[count.index]}, or {@code each.value} — e.g. {@code {expr: "jsonencode({Resource =
 * [@owner.arn]})"}} for a policy that must name its bucket.
 */
public record AddCompanionResource(String type, String ownerAttribute, String ownerReference, HclValue.Spec body,
                                   HclValue.Spec defaults, HclValue.Spec inline,
                                   boolean keepExisting, boolean refuseExisting, List<String> resourceTypes)
        implements TerraformOperation {

    public static final String ID = "terraform.add_companion_resource";
    private static final Pattern AWS_VERSION = Pattern.compile("(\\d+)(?:\\.\\d+)*");

    public AddCompanionResource {
        resourceTypes = List.copyOf(resourceTypes);
    }

    @Override
    public List<String> resourceTypes() {
        // The target may be the owner or, when a finding points at it, the companion itself.
        return resourceTypes.isEmpty() ? List.of() : concat(resourceTypes, type);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String patch(ModuleView module, Locator.Located target, Edits edits) {
        Body.Block owner = target.block();
        if (owner.type().equals("resource") && owner.label(0).equals(type)) {
            ensure(module, module.primary(), owner, body, edits);
            return owner.address() + " already has " + body.entries().keySet();
        }
        List<Companions.Companion> companions = Companions.of(module, owner, type, ownerAttribute);
        if (companions.size() > 1) {
            throw Refusals.at(Outcomes.AMBIGUOUS, companions.size() + " " + type + " resources point at "
                    + owner.address() + " (" + companions.stream().map(c -> c.block().address()).toList()
                    + "); they conflict and a person should pick one", module.primary(), owner.start());
        }
        if (companions.size() == 1) {
            Companions.Companion c = companions.get(0);
            if (keepExisting) {
                return c.block().address() + " exists; kept as it is";
            }
            HclValue.Spec own = body.withOwner(owner.label(0) + "." + owner.label(1));
            if (refuseExisting) {
                Edits probe = new Edits(module.primary());
                ensure(module, c.doc(), c.block(), own, probe);
                if (!probe.isEmpty()) {
                    throw Refusals.at(Outcomes.UNSAFE_EDIT, c.block().address() + " already exists with other content;"
                            + " a person must merge " + body.entries().keySet() + " into it", c.doc(), c.block().start());
                }
                return c.block().address() + " in " + c.doc().path() + " already has " + body.entries().keySet();
            }
            ensure(module, c.doc(), c.block(), own, edits);
            return c.block().address() + " in " + c.doc().path() + " already has " + body.entries().keySet();
        }
        if (!inline.entries().isEmpty()) {
            boolean hasInline = inline.entries().keySet().stream().anyMatch(k -> !owner.blocks(k).isEmpty()
                    || owner.attribute(k).isPresent());
            if (hasInline && keepExisting) {
                return owner.address() + " has " + inline.entries().keySet() + " inline; kept as it is";
            }
            if (hasInline || providerMajor(module).map(m -> m < 4).orElse(false)) {
                ensure(module, module.primary(), owner, inline, edits);
                return owner.address() + " already has " + inline.entries().keySet() + " inline";
            }
        }
        addCompanion(module.primary(), owner, edits);
        return "";
    }

    private static void ensure(ModuleView module, HclDocument doc, Body.Block b, HclValue.Spec spec, Edits edits) {
        Optional<PatchResult.CannotPatch> r = new Ensurer(module, edits, false).ensure(doc, Container.of(b), spec, "");
        if (r.isPresent()) {
            throw new Refusal(r.get());
        }
    }

    private void addCompanion(HclDocument doc, Body.Block owner, Edits edits) {
        HclWriter w = new HclWriter(doc);
        String nl = w.newline();
        String ownerAddr = owner.label(0) + "." + owner.label(1);
        String name = owner.label(1);
        int n = 2;
        while (exists(doc, type, name)) {
            name = owner.label(1) + "_" + n++;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("resource \"").append(type).append("\" \"").append(name).append("\" {").append(nl);
        String u = w.indentUnit();
        Map<String, String> head = new java.util.LinkedHashMap<>();
        String self;
        if (owner.attribute("count").isPresent()) {
            head.put("count", "length(" + ownerAddr + ")");
            self = ownerAddr + "[count.index]";
        } else if (owner.attribute("for_each").isPresent()) {
            head.put("for_each", ownerAddr);
            self = "each.value";
        } else {
            self = ownerAddr;
        }
        head.put(ownerAttribute, self + "." + ownerReference);
        int width = head.keySet().stream().mapToInt(String::length).max().orElse(0);
        head.forEach((k, v) -> sb.append(u).append(k).append(" ".repeat(width - k.length() + 1)).append("= ")
                .append(v).append(nl));
        sb.append(nl);
        Map<String, Object> all = new java.util.LinkedHashMap<>(body.withOwner(self).entries());
        defaults.withOwner(self).entries().forEach(all::putIfAbsent);
        w.renderEntries(sb, new HclValue.Spec(all), u, false);
        sb.append("}").append(nl);
        String text = doc.text();
        int at = doc.lines().nextLineStart(owner.end());
        String prefix = at == text.length() && !text.endsWith("\n") ? nl + nl : nl;
        edits.add(doc, TextEdit.insert(at, prefix + sb), "added " + type + "." + name + " for " + owner.address());
    }

    private static boolean exists(HclDocument doc, String type, String name) {
        return doc.blocks().stream().anyMatch(b -> b.type().equals("resource") && b.label(0).equals(type)
                && b.label(1).equals(name));
    }

    /** The major version the module pins the AWS provider to (lowest allowed), if it says. */
    static Optional<Integer> providerMajor(ModuleView module) {
        for (HclDocument d : module.tfDocuments()) {
            for (Body.Block t : d.blocks()) {
                if (!t.type().equals("terraform")) {
                    continue;
                }
                for (Body.Block rp : t.blocks("required_providers")) {
                    Optional<Body.Attribute> aws = rp.attribute("aws");
                    if (aws.isEmpty()) {
                        continue;
                    }
                    String constraint = aws.get().value() instanceof Value.Literal l ? l.text()
                            : aws.get().value() instanceof Value.Object o ? o.entries().stream()
                                    .filter(i -> i instanceof Body.Attribute a && a.name().equals("version")
                                            && a.value() instanceof Value.Literal)
                                    .map(i -> ((Value.Literal) ((Body.Attribute) i).value()).text()).findFirst().orElse("")
                            : "";
                    Matcher m = AWS_VERSION.matcher(constraint);
                    if (m.find() && !constraint.strip().startsWith("<")) {
                        return Optional.of(Integer.parseInt(m.group(1)));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static List<String> concat(List<String> l, String s) {
        List<String> out = new ArrayList<>(l);
        out.add(s);
        return List.copyOf(out);
    }

    static PatchOperation create(Params p) {
        p.allowOnly("type", "owner_attribute", "owner_reference", "body", "defaults", "inline", "when_present",
                "resource_types");
        String type = p.string("type");
        if (!type.matches("[a-z][a-z0-9_]*")) {
            throw p.invalid("'type' must be a resource type like aws_s3_bucket_versioning, got '" + type + "'");
        }
        Map<String, Object> body = p.map("body");
        String when = p.oneOf("when_present", "merge", "merge", "keep", "refuse");
        return new AddCompanionResource(type, p.optString("owner_attribute").orElse("bucket"),
                p.optString("owner_reference").orElse("id"), HclValue.Spec.of(body, p, "body"),
                p.optMap("defaults").map(m -> HclValue.Spec.of(m, p, "defaults")).orElse(HclValue.Spec.EMPTY),
                p.optMap("inline").map(m -> HclValue.Spec.of(m, p, "inline")).orElse(HclValue.Spec.EMPTY),
                when.equals("keep"), when.equals("refuse"),
                p.stringList("resource_types"));
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends SimpleFactory {
        public Factory() {
            super(ID, "ensure a companion resource (provider v4 split) references the owner: type, owner_attribute"
                    + " (bucket), owner_reference (id), body (map), defaults (for a new one), inline (pre-v4 equivalent),"
                    + " when_present (merge|keep|refuse), @owner in body, resource_types",
                    AddCompanionResource::create);
        }
    }
}
