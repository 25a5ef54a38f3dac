package dev.fixgate.patch.cloudformation;

import dev.fixgate.patch.Params;
import dev.fixgate.patch.SimpleFactory;
import dev.fixgate.spi.iac.PatchOperation;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cloudformation.merge_properties} (and {@code cloudformation.set_property}, its one-path form): deep-merges
 * properties into a resource, e.g. {@code PublicAccessBlockConfiguration} with its four flags, {@code BucketEncryption},
 * or {@code MetadataOptions: {HttpTokens: required}} into a LaunchTemplate's {@code LaunchTemplateData}. Missing keys
 * are added in the template's own style (block, flow, JSON), differing scalars replaced keeping their quoting,
 * non-empty lists kept. Intrinsic values and anchored nodes are refused.
 *
 * @param id            which of the two ids this instance answers to
 * @param properties    what to merge under {@code Properties}
 * @param keepExisting  {@code when_present: keep}: a top-level property that is set already is left as it is
 * @param resourceTypes resource types this applies to (empty: any)
 */
public record MergeProperties(String id, Map<String, Object> properties, boolean keepExisting, List<String> resourceTypes)
        implements CloudFormationOperation {

    public static final String ID = "cloudformation.merge_properties";
    public static final String SET_ID = "cloudformation.set_property";

    public MergeProperties {
        properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        resourceTypes = List.copyOf(resourceTypes);
    }

    @Override
    public String patch(CfnDocument doc, CfnDocument.Resource r, CfnEdits edits) {
        Map<String, Object> wanted = new LinkedHashMap<>(properties);
        if (keepExisting) {
            wanted.keySet().removeIf(k -> CloudFormationOperation.at(r, List.of(k)).filter(n -> !CfnMerger.isNull(n)).isPresent());
            if (wanted.isEmpty()) {
                return properties.keySet() + " present; kept as they are";
            }
        }
        new CfnMerger(doc, edits).merge(r.body(), Map.of("Properties", wanted), r.logicalId());
        return "Properties already have " + properties.keySet();
    }

    static PatchOperation create(Params p) {
        p.allowOnly("properties", "when_present", "resource_types");
        Map<String, Object> props = p.map("properties");
        if (props.isEmpty()) {
            throw p.invalid("'properties' must not be empty");
        }
        return new MergeProperties(ID, props, keepExisting(p), p.stringList("resource_types"));
    }

    static PatchOperation createSet(Params p) {
        p.allowOnly("path", "value", "resource_types");
        List<String> path = Arrays.asList(p.string("path").split("\\."));
        if (path.stream().anyMatch(String::isBlank)) {
            throw p.invalid("'path' has an empty segment: '" + p.string("path") + "'");
        }
        Object value = p.value("value");
        for (int i = path.size() - 1; i >= 0; i--) {
            value = Map.of(path.get(i), value);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> props = (Map<String, Object>) value;
        return new MergeProperties(SET_ID, props, false, p.stringList("resource_types"));
    }

    private static boolean keepExisting(Params p) {
        return p.oneOf("when_present", "merge", "merge", "keep").equals("keep");
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends SimpleFactory {
        public Factory() {
            super(ID, "deep-merge properties into a resource: properties (map), when_present (merge|keep), resource_types", MergeProperties::create);
        }
    }

    /** Registered in META-INF/services. */
    public static final class SetFactory extends SimpleFactory {
        public SetFactory() {
            super(SET_ID, "set one property: path (dotted, under Properties), value, resource_types",
                    MergeProperties::createSet);
        }
    }
}
