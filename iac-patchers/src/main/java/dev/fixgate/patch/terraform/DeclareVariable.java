package dev.fixgate.patch.terraform;

import dev.fixgate.patch.Params;
import dev.fixgate.patch.SimpleFactory;
import dev.fixgate.patch.TextEdit;
import dev.fixgate.spi.iac.PatchOperation;
import java.util.List;

/**
 * {@code terraform.declare_variable}: a fix that writes {@code var.name} into a module also declares it, so the
 * module still validates. The declaration has a description and no default — the value is the repository's to
 * give (a default would be a guess that {@code terraform apply} takes silently) — and the planner reports the fix as
 * declaring an input, which keeps it from being SAFE. It goes at the end of the module's {@code variables.tf} when
 * there is one, else at the end of the patched file. Nothing happens when the module already declares the variable
 * or does not use it (the value came from the repository's configuration, or an earlier step kept what was there).
 *
 * @param name        the variable's name
 * @param type        its type constraint ({@code string})
 * @param description what the repository must set it to
 */
public record DeclareVariable(String name, String type, String description, List<String> resourceTypes)
        implements TerraformOperation {

    public static final String ID = "terraform.declare_variable";

    public DeclareVariable {
        resourceTypes = List.copyOf(resourceTypes);
        if (!name.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("'" + name + "' is not a variable name");
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String patch(ModuleView module, Locator.Located target, Edits edits) {
        for (HclDocument d : module.tfDocuments()) {
            for (Body.Block b : d.blocks()) {
                if (b.type().equals("variable") && b.label(0).equals(name)) {
                    return "variable " + name + " is declared in " + d.path();
                }
            }
        }
        if (module.usages("var", name).isEmpty()) {
            return "the module does not use var." + name;
        }
        HclDocument into = module.tfDocuments().stream()
                .filter(d -> d.path().equals("variables.tf") || d.path().endsWith("/variables.tf"))
                .findFirst().orElse(module.primary());
        String text = into.text();
        String nl = text.contains("\r\n") ? "\r\n" : "\n";
        String lead = text.isEmpty() ? "" : text.endsWith(nl + nl) ? "" : text.endsWith(nl) ? nl : nl + nl;
        String block = lead + "variable \"" + name + "\" {" + nl
                + "  description = " + HclValue.quote(description) + nl
                + "  type        = " + type + nl
                + "}" + nl;
        edits.add(into, TextEdit.insert(text.length(), block), "declared variable " + name + " (no default: the"
                + " repository sets it) in " + into.path());
        return "";
    }

    static PatchOperation create(Params p) {
        p.allowOnly("name", "type", "description", "resource_types");
        String type = p.optString("type").orElse("string");
        if (!type.matches("[a-z]+(\\([a-z]+\\))?")) {
            throw p.invalid("'type' must be a simple type constraint (string, number, bool, list(string)), got '" + type + "'");
        }
        try {
            return new DeclareVariable(p.string("name"), type, p.string("description"), p.stringList("resource_types"));
        } catch (IllegalArgumentException e) {
            throw p.invalid(e.getMessage());
        }
    }

    /** Registered in META-INF/services. */
    public static final class Factory extends SimpleFactory {
        public Factory() {
            super(ID, "declare the variable a fix uses when the module lacks it: name, type (string), description",
                    DeclareVariable::create);
        }
    }
}
