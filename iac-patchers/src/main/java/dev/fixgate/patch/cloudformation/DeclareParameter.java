package dev.fixgate.patch.cloudformation;

import dev.fixgate.patch.Params;
import dev.fixgate.patch.SimpleFactory;
import dev.fixgate.spi.iac.PatchOperation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;

/**
 * {@code cloudformation.declare_parameter}: a fix that writes {@code Ref: Name} into a template also declares the
 * {@code Parameters} entry it needs, so the template still deploys. The parameter has a {@code Type} and a
 * {@code Description} and no {@code Default}: the value is the stack's to give, and the planner reports the fix as
 * declaring an input (never SAFE). Nothing happens when the template declares it already or does not refer to it.
 *
 * @param name        the parameter's logical name
 * @param type        its {@code Type} ({@code String})
 * @param description what the stack must set it to
 */
public record DeclareParameter(String name, String type, String description, List<String> resourceTypes)
        implements CloudFormationOperation {

    public static final String ID = "cloudformation.declare_parameter";

    public DeclareParameter {
        resourceTypes = List.copyOf(resourceTypes);
        if (!name.matches("[A-Za-z0-9]+")) {
            throw new IllegalArgumentException("'" + name + "' is not a CloudFormation logical name (alphanumeric)");
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String patch(CfnDocument doc, CfnDocument.Resource r, CfnEdits edits) {
        MappingNode root = doc.root(r).orElseThrow();
        var params = CfnDocument.get(root, "Parameters");
        if (params.isPresent() && params.get() instanceof MappingNode m && CfnDocument.get(m, name).isPresent()) {
            return "parameter " + name + " is declared";
        }
        Pattern used = Pattern.compile("(!Ref\\s+['\"]?" + name + "\\b|\"?Ref\"?\\s*:\\s*['\"]?" + name + "\\b)");
        if (!used.matcher(doc.text()).find()) {
            return "the template does not refer to " + name;
        }
        Map<String, Object> declaration = new LinkedHashMap<>();
        declaration.put("Type", type);
        declaration.put("Description", description);
        new CfnMerger(doc, edits).merge(root, Map.of("Parameters", Map.of(name, declaration)), "the template");
        return "";
    }

    static PatchOperation create(Params p) {
        p.allowOnly("name", "type", "description", "resource_types");
        try {
            return new DeclareParameter(p.string("name"), p.optString("type").orElse("String"), p.string("description"),
                    p.stringList("resource_types"));
        } catch (IllegalArgumentException e) {
            throw p.invalid(e.getMessage());
        }
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends SimpleFactory {
        public Factory() {
            super(ID, "declare the parameter a fix refers to when the template lacks it: name, type (String), description",
                    DeclareParameter::create);
        }
    }
}
