package dev.fixgate.app.plan;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * The references a fix adds must resolve: {@code var.x}, {@code local.x}, {@code data.t.n} and resource addresses
 * in Terraform; {@code Ref} / {@code GetAtt} targets in CloudFormation. Read independently of the patchers, from
 * the added lines of each changed file and the declarations of the fixed module or template — a fix that writes
 * {@code var.access_logs_bucket} into a module that does not declare it fails {@code terraform validate}, whatever
 * the patcher believed. Also: which inputs a fix declares ({@code variable} blocks, template {@code Parameters}),
 * which the repository must then supply.
 */
public final class References {

    private static final Pattern TF_REF = Pattern.compile(
            "(?<![\\w.\"])(var|local)\\.([A-Za-z_][\\w-]*)|(?<![\\w.\"])data\\.([A-Za-z_][\\w-]*)\\.([A-Za-z_][\\w-]*)"
                    + "|(?<![\\w.\"/-])((?:aws|azurerm|google|azuread)_[a-z0-9_]+)\\.([A-Za-z_][\\w-]*)");
    private static final Pattern TF_DECL = Pattern.compile(
            "^\\s*(variable|resource|data)\\s+\"?([\\w-]+)\"?(?:\\s+\"?([\\w-]+)\"?)?", Pattern.MULTILINE);
    private static final Pattern TF_VARIABLE = Pattern.compile("^\\s*variable\\s+\"?([\\w-]+)\"?");
    private static final Pattern LOCALS = Pattern.compile("^\\s*locals\\s*\\{", Pattern.MULTILINE);
    private static final Pattern CFN_REF = Pattern.compile(
            "!Ref\\s+['\"]?([A-Za-z0-9:]+)|(?<![\\w:])\"?Ref\"?\\s*:\\s*['\"]?([A-Za-z0-9:]+)"
                    + "|!GetAtt\\s+['\"]?([A-Za-z0-9]+)|\"?Fn::GetAtt\"?\\s*:\\s*\\[\\s*['\"]?([A-Za-z0-9]+)");

    private References() {
    }

    /**
     * What a fix adds that does not resolve.
     *
     * @param before  path → text of the module's (or template's) files before the fix
     * @param after   path → text after the fix, every file of the module
     */
    public static List<String> unresolved(Map<String, String> before, Map<String, String> after) {
        List<String> out = new ArrayList<>();
        Set<String> tfDeclared = null;
        for (var e : after.entrySet()) {
            String path = e.getKey();
            String old = before.getOrDefault(path, "");
            if (old.equals(e.getValue())) {
                continue;
            }
            List<String> added = added(old, e.getValue());
            if (path.endsWith(".tf")) {
                if (tfDeclared == null) {
                    tfDeclared = terraformDeclarations(after);
                }
                for (String line : added) {
                    Matcher m = TF_REF.matcher(stripComment(line));
                    while (m.find()) {
                        String ref = m.group(1) != null ? m.group(1) + "." + m.group(2)
                                : m.group(3) != null ? "data." + m.group(3) + "." + m.group(4)
                                : m.group(5) + "." + m.group(6);
                        if (!tfDeclared.contains(ref)) {
                            out.add(path + ": the fix adds a reference to " + ref + ", which the module does not declare: "
                                    + line.strip());
                        }
                    }
                }
            } else if (!path.endsWith(".tfvars")) {
                Set<String> declared = cfnDeclarations(e.getValue());
                for (String line : added) {
                    Matcher m = CFN_REF.matcher(line);
                    while (m.find()) {
                        String ref = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2)
                                : m.group(3) != null ? m.group(3) : m.group(4);
                        if (!ref.startsWith("AWS::") && !declared.contains(ref)) {
                            out.add(path + ": the fix adds a reference to " + ref + ", which the template does not declare: "
                                    + line.strip());
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The inputs a fix declares: {@code variable "x"} blocks and template {@code Parameters} it adds. */
    public static List<String> declaredInputs(Map<String, String> before, Map<String, String> after) {
        List<String> out = new ArrayList<>();
        for (var e : after.entrySet()) {
            String old = before.getOrDefault(e.getKey(), "");
            if (old.equals(e.getValue())) {
                continue;
            }
            if (e.getKey().endsWith(".tf")) {
                for (String line : added(old, e.getValue())) {
                    Matcher m = TF_VARIABLE.matcher(line);
                    if (m.find()) {
                        out.add("variable " + m.group(1));
                    }
                }
            } else if (!e.getKey().endsWith(".tfvars")) {
                Set<String> was = cfnParameters(old);
                cfnParameters(e.getValue()).stream().filter(p -> !was.contains(p)).sorted()
                        .forEach(p -> out.add("parameter " + p));
            }
        }
        return out;
    }

    /** Lines of {@code after} not in {@code before} (a multiset difference: enough for small, local fixes). */
    static List<String> added(String before, String after) {
        List<String> pool = new ArrayList<>(before.lines().toList());
        List<String> out = new ArrayList<>();
        for (String l : after.lines().toList()) {
            if (!pool.remove(l)) {
                out.add(l);
            }
        }
        return out;
    }

    private static String stripComment(String line) {
        String t = line.strip();
        return t.startsWith("#") || t.startsWith("//") ? "" : line;
    }

    static Set<String> terraformDeclarations(Map<String, String> module) {
        Set<String> out = new HashSet<>();
        for (var f : module.entrySet()) {
            if (f.getKey().endsWith(".tf")) {
                Set<String> known = DECLARATIONS.get(f.getValue());
                if (known == null) {
                    known = declaredIn(f.getValue()); // outside the map's lock: files are read in parallel
                    DECLARATIONS.put(f.getValue(), known);
                }
                out.addAll(known);
            }
        }
        return out;
    }

    /**
     * Each file's declarations, by its text: every fix of a module re-reads all of its files, and all but the fixed
     * one are unchanged. Bounded (least recently used out).
     */
    private static final int DECLARATIONS_CACHE = 1024;
    private static final Map<String, Set<String>> DECLARATIONS = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(DECLARATIONS_CACHE, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
                    return size() > DECLARATIONS_CACHE;
                }
            });

    /** The {@code var.}, {@code local.}, {@code data.} and resource addresses one Terraform file declares. */
    private static Set<String> declaredIn(String text) {
        Set<String> out = new HashSet<>();
        Matcher m = TF_DECL.matcher(text);
        while (m.find()) {
            switch (m.group(1)) {
                case "variable" -> out.add("var." + m.group(2));
                case "resource" -> out.add(m.group(2) + "." + m.group(3));
                default -> out.add("data." + m.group(2) + "." + m.group(3));
            }
        }
        Matcher l = LOCALS.matcher(text);
        while (l.find()) {
            int depth = 1;
            int i = l.end();
            int lineStart = i;
            while (i < text.length() && depth > 0) {
                char c = text.charAt(i);
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth--;
                } else if (c == '\n') {
                    lineStart = i + 1;
                } else if (c == '=' && depth == 1) {
                    String name = text.substring(lineStart, i).strip();
                    if (name.matches("[A-Za-z_][\\w-]*")) {
                        out.add("local." + name);
                    }
                }
                i++;
            }
        }
        return Set.copyOf(out);
    }

    /** Logical ids under {@code Resources}, {@code Parameters} (and {@code Conditions}) of every document. */
    static Set<String> cfnDeclarations(String text) {
        return cfnKeys(text, Set.of("Resources", "Parameters"));
    }

    static Set<String> cfnParameters(String text) {
        return cfnKeys(text, Set.of("Parameters"));
    }

    private static Set<String> cfnKeys(String text, Set<String> sections) {
        Set<String> out = new HashSet<>();
        if (text.isBlank()) {
            return out;
        }
        Composer composer = new Composer(LoadSettings.builder().build(),
                new ParserImpl(LoadSettings.builder().build(), new StreamReader(LoadSettings.builder().build(), text)));
        try {
            cfnWalk(composer, sections, out);
        } catch (RuntimeException e) {
            // not a template we can read: nothing is declared (the planner's own re-parse reports it)
        }
        return out;
    }

    private static void cfnWalk(Composer composer, Set<String> sections, Set<String> out) {
        while (composer.hasNext()) {
            Node doc = composer.next();
            if (!(doc instanceof MappingNode m)) {
                continue;
            }
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && sections.contains(k.getValue())
                        && t.getValueNode() instanceof MappingNode section) {
                    for (NodeTuple r : section.getValue()) {
                        if (r.getKeyNode() instanceof ScalarNode id) {
                            out.add(id.getValue());
                        }
                    }
                }
            }
        }
    }
}
