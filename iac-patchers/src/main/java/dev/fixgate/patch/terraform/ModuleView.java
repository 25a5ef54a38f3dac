package dev.fixgate.patch.terraform;

import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.SourceFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The patched file plus the rest of its module ({@link PatchContext}), parsed on demand. Lets operations see
 * variable declarations, tfvars, locals, provider {@code default_tags} and companion resources in sibling files.
 */
final class ModuleView {

    private final HclDocument primary;
    private final PatchContext context;
    private Map<String, HclDocument> others;

    ModuleView(HclDocument primary, PatchContext context) {
        this.primary = primary;
        this.context = context;
    }

    HclDocument primary() {
        return primary;
    }

    /** All parsed {@code .tf} documents of the module, the patched file first. */
    List<HclDocument> tfDocuments() {
        List<HclDocument> out = new ArrayList<>();
        out.add(primary);
        others().forEach((p, d) -> {
            if (p.endsWith(".tf")) {
                out.add(d);
            }
        });
        return out;
    }

    /** Parsed {@code .tfvars} files (HCL syntax; {@code .tfvars.json} are not read). */
    List<HclDocument> tfvars() {
        List<HclDocument> out = new ArrayList<>();
        others().forEach((p, d) -> {
            if (p.endsWith(".tfvars")) {
                out.add(d);
            }
        });
        return out;
    }

    boolean hasTfvarsJson() {
        return context.moduleFiles().stream().anyMatch(f -> f.path().endsWith(".tfvars.json"));
    }

    /**
     * A root module configures a provider or a backend (or has tfvars); a child module does neither, and its
     * variables are set by callers we cannot see.
     */
    boolean looksLikeRootModule() {
        if (!tfvars().isEmpty()) {
            return true;
        }
        for (HclDocument d : tfDocuments()) {
            for (Body.Block b : d.blocks()) {
                if (b.type().equals("provider") || b.type().equals("terraform") && (!b.blocks("backend").isEmpty()
                        || !b.blocks("cloud").isEmpty())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Where {@code var.name} / {@code local.name} is referenced, across the module's .tf files. */
    List<String> usages(String kind, String name) {
        Pattern p = Pattern.compile("\\b" + Pattern.quote(kind + "." + name) + "\\b(?![-\\w])");
        List<String> out = new ArrayList<>();
        for (HclDocument d : tfDocuments()) {
            var m = p.matcher(d.text());
            while (m.find()) {
                out.add(d.path() + ":" + d.lineOf(m.start()));
            }
        }
        return out;
    }

    private Map<String, HclDocument> others() {
        if (others == null) {
            Map<String, HclDocument> m = new LinkedHashMap<>();
            for (SourceFile f : context.moduleFiles()) {
                if (f.path().equals(primary.path())) {
                    continue;
                }
                if (f.path().endsWith(".tf") || f.path().endsWith(".tfvars")) {
                    // A sibling that does not parse makes every module-wide conclusion unsafe: let it fail.
                    m.put(f.path(), HclDocument.parse(f.path(), f.text()));
                }
            }
            others = m;
        }
        return others;
    }
}
