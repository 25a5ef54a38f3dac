package dev.fixgate.patch.cloudformation;

import dev.fixgate.patch.Outcomes;
import dev.fixgate.patch.Params;
import dev.fixgate.patch.Refusal;
import dev.fixgate.patch.SimpleFactory;
import dev.fixgate.spi.iac.PatchOperation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * {@code cloudformation.add_companion_resource}: makes the owner have a resource of {@code type} that points at it,
 * e.g. an {@code AWS::EC2::FlowLog} with {@code ResourceId: !Ref MyVPC}. A companion already pointing at the owner
 * in the same template (by {@code Ref}, {@code GetAtt}, or its logical id as a literal) counts: it is kept
 * ({@code when_present: keep}) or has {@code body} merged into it; two are refused as ambiguous. Otherwise a new
 * resource named {@code <owner><suffix>} goes right after the owner, in the template's style (short {@code !Ref}
 * when the template uses short forms, {@code {"Ref": ...}} in JSON).
 *
 * @param type          companion resource type
 * @param ownerProperty the companion's property that names the owner ({@code ResourceId})
 * @param body          further properties the companion must have
 * @param suffix        logical id suffix of a new companion
 * @param keepExisting  an existing companion is left as it is
 * @param refuseExisting an existing companion without {@code body} is refused, not changed (a bucket policy whose
 *                      statements a person must merge)
 * @param resourceTypes owner types this applies to (empty: any)
 *
 * <p>In {@code body}, {@code @owner} (in any string, e.g. {@code {"Fn::GetAtt": ["@owner", "Arn"]}} or
 * {@code {"Fn::Sub": "${@owner.Arn}/*"}}) stands for the owner's logical id.
 */
public record AddCompanionResource(String type, String ownerProperty, Map<String, Object> body, String suffix,
                                   boolean keepExisting, boolean refuseExisting, List<String> resourceTypes)
        implements CloudFormationOperation {

    public static final String ID = "cloudformation.add_companion_resource";

    public AddCompanionResource {
        body = Collections.unmodifiableMap(new LinkedHashMap<>(body));
        resourceTypes = List.copyOf(resourceTypes);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<String> resourceTypes() {
        if (resourceTypes.isEmpty()) {
            return List.of();
        }
        List<String> all = new ArrayList<>(resourceTypes);
        all.add(type);
        return List.copyOf(all);
    }

    @Override
    public String patch(CfnDocument doc, CfnDocument.Resource owner, CfnEdits edits) {
        Map<String, Object> body = withOwner(this.body, owner.logicalId());
        if (owner.type().equals(type)) {
            new CfnMerger(doc, edits).merge(owner.body(), Map.of("Properties", body), owner.logicalId());
            return owner.logicalId() + " already has " + body.keySet();
        }
        List<CfnDocument.Resource> companions = doc.resources().stream().filter(r -> r.type().equals(type)
                && pointsAt(r, owner)).toList();
        if (companions.size() > 1) {
            throw Refusal.of(Outcomes.AMBIGUOUS, companions.size() + " " + type + " resources point at "
                    + owner.logicalId() + "; a person should pick one", doc.path(), doc.line(companions.get(1).key()));
        }
        if (companions.size() == 1) {
            CfnDocument.Resource c = companions.get(0);
            if (keepExisting) {
                return c.logicalId() + " (" + type + ") points at it; kept as it is";
            }
            if (refuseExisting) {
                CfnEdits probe = new CfnEdits();
                new CfnMerger(doc, probe).merge(c.body(), Map.of("Properties", body), c.logicalId());
                if (!probe.isEmpty()) {
                    throw Refusal.of(Outcomes.UNSAFE_EDIT, c.logicalId() + " (" + type + ") already exists with other"
                            + " content; a person must merge " + body.keySet() + " into it", doc.path(), doc.line(c.key()));
                }
                return c.logicalId() + " already has " + body.keySet();
            }
            new CfnMerger(doc, edits).merge(c.body(), Map.of("Properties", body), c.logicalId());
            return c.logicalId() + " already has " + body.keySet();
        }
        MappingNode resources = resourcesOf(doc, owner);
        NodeTuple ownerEntry = resources.getValue().stream().filter(t -> t.getKeyNode() == owner.key()).findFirst()
                .orElseThrow();
        String id = owner.logicalId() + suffix;
        for (int n = 2; CfnDocument.get(resources, id).isPresent(); n++) {
            id = owner.logicalId() + suffix + n;
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(ownerProperty, ref(doc, owner.logicalId()));
        props.putAll(body);
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("Type", type);
        resource.put("Properties", props);
        edits.add(new CfnWriter(doc).insertAfter(resources, ownerEntry, id, resource),
                "added " + id + " (" + type + ") for " + owner.logicalId());
        return "";
    }

    @SuppressWarnings("unchecked")
    static <T> T withOwner(T v, String logicalId) {
        if (v instanceof String s) {
            return (T) s.replace("@owner", logicalId);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), withOwner(x, logicalId)));
            return (T) out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(withOwner(x, logicalId)));
            return (T) out;
        }
        return v;
    }

    /** {@code Ref}/{@code GetAtt} to the owner, or its logical id written as a literal. */
    private boolean pointsAt(CfnDocument.Resource r, CfnDocument.Resource owner) {
        Optional<Node> v = CloudFormationOperation.at(r, List.of(ownerProperty));
        if (v.isEmpty()) {
            return false;
        }
        Node n = v.get();
        if (Intrinsics.refTarget(n).filter(owner.logicalId()::equals).isPresent()) {
            return true;
        }
        if (Intrinsics.getAttTarget(n).filter(owner.logicalId()::equals).isPresent()) {
            return true;
        }
        return n instanceof ScalarNode s && Intrinsics.name(n).isEmpty() && s.getValue().equals(owner.logicalId());
    }

    private static MappingNode resourcesOf(CfnDocument doc, CfnDocument.Resource owner) {
        return doc.resourcesMapping(owner).orElseThrow();
    }

    private static Object ref(CfnDocument doc, String logicalId) {
        if (doc.json()) {
            return Map.of("Ref", logicalId);
        }
        return doc.text().contains("!Ref ") ? new CfnWriter.Raw("!Ref " + logicalId) : Map.of("Ref", logicalId);
    }

    static PatchOperation create(Params p) {
        p.allowOnly("type", "owner_property", "body", "suffix", "when_present", "resource_types");
        String type = p.string("type");
        if (!type.matches("[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+")) {
            throw p.invalid("'type' must be a resource type like AWS::EC2::FlowLog, got '" + type + "'");
        }
        String suffix = p.optString("suffix").orElse(type.substring(type.lastIndexOf(':') + 1));
        if (!suffix.matches("[A-Za-z0-9]+")) {
            throw p.invalid("'suffix' must be alphanumeric (logical ids are), got '" + suffix + "'");
        }
        String when = p.oneOf("when_present", "merge", "merge", "keep", "refuse");
        return new AddCompanionResource(type, p.string("owner_property"), p.optMap("body").orElse(Map.of()), suffix,
                when.equals("keep"), when.equals("refuse"), p.stringList("resource_types"));
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends SimpleFactory {
        public Factory() {
            super(ID, "ensure a companion resource pointing at the owner: type, owner_property (ResourceId), body,"
                    + " suffix, when_present (merge|keep), resource_types", AddCompanionResource::create);
        }
    }
}
