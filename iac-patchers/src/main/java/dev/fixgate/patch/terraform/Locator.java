package dev.fixgate.patch.terraform;

import dev.fixgate.patch.Refusal;
import dev.fixgate.patch.Outcomes;
import dev.fixgate.spi.iac.ResourceSelector;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the one block a selector means. Addresses may carry module prefixes ({@code module.x.}, which say which
 * module's files we were given, so they are dropped) and an instance key ({@code [0]}, {@code ["k"]}), which must
 * agree with the resource's {@code count}/{@code for_each}; the edit then applies to the resource block, i.e. to
 * every instance, and the summary says so.
 */
final class Locator {

    private static final Pattern MODULE_PREFIX = Pattern.compile("^module\\.([A-Za-z_][\\w-]*)(\\[[^\\]]*\\])?\\.");
    private static final Pattern RESOURCE = Pattern.compile(
            "^(data\\.)?([A-Za-z_][\\w-]*)\\.([A-Za-z_][\\w-]*)(\\[(\\d+|\"[^\"]*\")\\])?$");
    private static final Pattern MODULE_CALL = Pattern.compile("^module\\.([A-Za-z_][\\w-]*)$");

    /** The block found, and the line of the finding when the selector was a line (it can pick a nested block). */
    record Located(Body.Block block, int line, String note) {
    }

    private Locator() {
    }

    static Located locate(HclDocument doc, ResourceSelector selector) {
        return switch (selector) {
            case ResourceSelector.ByAddress a -> byAddress(doc, a.address().strip());
            case ResourceSelector.ByAttribute a -> byAttribute(doc, a);
            case ResourceSelector.ByLine l -> byLine(doc, l.line());
        };
    }

    private static Located byAddress(HclDocument doc, String address) {
        String rest = address;
        Matcher mp;
        while (!MODULE_CALL.matcher(rest).matches() && (mp = MODULE_PREFIX.matcher(rest)).find()) {
            rest = rest.substring(mp.end());
        }
        Matcher mc = MODULE_CALL.matcher(rest);
        if (mc.matches()) {
            return one(doc, address, doc.blocks().stream()
                    .filter(b -> b.type().equals("module") && b.label(0).equals(mc.group(1))).toList(), "");
        }
        Matcher m = RESOURCE.matcher(rest);
        if (!m.matches()) {
            throw new Refusal(Outcomes.cannot(Outcomes.RESOURCE_NOT_FOUND,
                    "'" + address + "' is not a Terraform resource address", doc.path(), 0));
        }
        String kind = m.group(1) == null ? "resource" : "data";
        List<Body.Block> found = doc.blocks().stream().filter(b -> b.type().equals(kind)
                && b.label(0).equals(m.group(2)) && b.label(1).equals(m.group(3))).toList();
        Located l = one(doc, address, found, "");
        if (m.group(5) == null) {
            return l;
        }
        boolean numeric = !m.group(5).startsWith("\"");
        String meta = numeric ? "count" : "for_each";
        if (l.block().attribute(meta).isEmpty()) {
            throw Refusal.of(Outcomes.RESOURCE_NOT_FOUND, address + " names an instance by "
                    + (numeric ? "index" : "key") + " but " + l.block().address() + " has no " + meta, doc.path(), doc.lineOf(l.block().start()));
        }
        return new Located(l.block(), 0, "the fix changes the resource block, so it applies to every instance of "
                + l.block().address() + " (" + meta + ")");
    }

    private static Located byAttribute(HclDocument doc, ResourceSelector.ByAttribute a) {
        List<Body.Block> found = doc.blocks().stream()
                .filter(b -> b.type().equals("resource") && b.label(0).equals(a.type()))
                .filter(b -> b.attribute(a.name()).map(x -> x.value() instanceof Value.Literal lit
                        && lit.text().equals(a.value())).orElse(false))
                .toList();
        return one(doc, a.type() + " with " + a.name() + " = \"" + a.value() + "\"", found, "");
    }

    private static Located byLine(HclDocument doc, int line) {
        List<Body.Block> found = doc.blocks().stream()
                .filter(b -> doc.lineOf(b.start()) <= line && line <= doc.lineOf(b.end() - 1)).toList();
        if (found.isEmpty()) {
            throw new Refusal(Outcomes.cannot(Outcomes.RESOURCE_NOT_FOUND,
                    "no block spans line " + line, doc.path(), line));
        }
        return new Located(found.get(0), line, "");
    }

    private static Located one(HclDocument doc, String what, List<Body.Block> found, String note) {
        if (found.isEmpty()) {
            throw new Refusal(Outcomes.cannot(Outcomes.RESOURCE_NOT_FOUND, "no " + what + " in this file", doc.path(), 0));
        }
        if (found.size() > 1) {
            throw Refusal.of(Outcomes.AMBIGUOUS, found.size() + " blocks match " + what, doc.path(), doc.lineOf(found.get(1).start()));
        }
        return new Located(found.get(0), 0, note);
    }
}
