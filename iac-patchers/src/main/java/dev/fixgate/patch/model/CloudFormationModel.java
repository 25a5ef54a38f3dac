package dev.fixgate.patch.model;

import dev.fixgate.patch.cloudformation.CfnDocument;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Builds {@link ModelResource}s from a CloudFormation/SAM template (YAML, JSON or several YAML documents). */
final class CloudFormationModel {

    private static final Pattern SUB_VAR = Pattern.compile("\\$\\{([A-Za-z0-9]+)(?:\\.[A-Za-z0-9.]+)?}");

    private CloudFormationModel() {
    }

    private record Declared(String logicalId, String type, Map<String, Object> properties, int line, int endLine) {
    }

    static List<ModelResource> resources(String path, String text, boolean json) {
        // typed parse errors with file:line, same as the patchers give, and the input limits checked
        CfnDocument.parse(path, text, json);
        LoadSettings settings = CfnDocument.settings(path);
        List<Declared> declared = new ArrayList<>();
        Map<String, Object> outputs = new LinkedHashMap<>();
        for (Node root : new Compose(settings).composeAllFromString(text)) {
            if (!(root instanceof MappingNode m)) {
                continue;
            }
            CfnDocument.get(m, "Resources").filter(MappingNode.class::isInstance).map(MappingNode.class::cast)
                    .ifPresent(rm -> {
                        for (NodeTuple t : rm.getValue()) {
                            if (t.getKeyNode() instanceof ScalarNode k && t.getValueNode() instanceof MappingNode body) {
                                String type = CfnDocument.get(body, "Type").filter(ScalarNode.class::isInstance)
                                        .map(n -> ((ScalarNode) n).getValue()).orElse("");
                                Object props = CfnDocument.get(body, "Properties").map(CloudFormationModel::value)
                                        .orElse(null);
                                @SuppressWarnings("unchecked")
                                Map<String, Object> p = props instanceof Map<?, ?> pm ? (Map<String, Object>) pm : Map.of();
                                declared.add(new Declared(k.getValue(), type, p,
                                        k.getStartMark().map(mk -> mk.getLine() + 1).orElse(0),
                                        body.getEndMark().map(mk -> mk.getLine() + (mk.getColumn() == 0 ? 0 : 1))
                                                .orElse(0)));
                            }
                        }
                    });
            CfnDocument.get(m, "Outputs").filter(MappingNode.class::isInstance).map(MappingNode.class::cast)
                    .ifPresent(om -> {
                        for (NodeTuple t : om.getValue()) {
                            if (t.getKeyNode() instanceof ScalarNode k) {
                                outputs.put(k.getValue(), value(t.getValueNode()));
                            }
                        }
                    });
        }
        Set<String> ids = new LinkedHashSet<>();
        declared.forEach(d -> ids.add(d.logicalId()));
        Map<String, List<String>> referencedBy = new LinkedHashMap<>();
        Map<String, Map<String, List<Map<String, Object>>>> companions = new LinkedHashMap<>();
        for (Declared d : declared) {
            Set<String> targets = new LinkedHashSet<>();
            references(d.properties(), targets);
            for (String t : targets) {
                if (ids.contains(t) && !t.equals(d.logicalId())) {
                    referencedBy.computeIfAbsent(t, k -> new ArrayList<>()).add(d.logicalId());
                    companions.computeIfAbsent(t, k -> new LinkedHashMap<>())
                            .computeIfAbsent(d.type(), k -> new ArrayList<>()).add(d.properties());
                }
            }
            // A top-level property holding another resource's logical id as a literal (ResourceId: MyVPC) is
            // meant as a reference; add_companion_resource counts it as one, so detect's companions do too.
            d.properties().values().stream().filter(v -> v instanceof String s && ids.contains(s)
                            && !s.equals(d.logicalId()) && !targets.contains(s))
                    .map(String.class::cast).distinct()
                    .forEach(t -> companions.computeIfAbsent(t, k -> new LinkedHashMap<>())
                            .computeIfAbsent(d.type(), k -> new ArrayList<>()).add(d.properties()));
        }
        outputs.forEach((name, v) -> {
            Set<String> targets = new LinkedHashSet<>();
            references(v, targets);
            targets.stream().filter(ids::contains)
                    .forEach(t -> referencedBy.computeIfAbsent(t, k -> new ArrayList<>()).add("Outputs." + name));
        });
        List<ModelResource> out = new ArrayList<>();
        for (Declared d : declared) {
            Map<String, List<Map<String, Object>>> comp = new LinkedHashMap<>();
            companions.getOrDefault(d.logicalId(), Map.of()).forEach((k, v) -> comp.put(k, List.copyOf(v)));
            out.add(new ModelResource("cloudformation", d.type(), d.logicalId(), d.logicalId(), path, d.line(),
                    Math.max(d.line(), d.endLine()), d.properties(), comp,
                    referencedBy.getOrDefault(d.logicalId(), List.of()), "single"));
        }
        return out;
    }

    /** Logical ids a value refers to: {@code Ref}, {@code Fn::GetAtt}, {@code ${X}} in {@code Fn::Sub}. */
    private static void references(Object v, Set<String> out) {
        if (v instanceof Map<?, ?> m) {
            if (m.size() == 1) {
                Map.Entry<?, ?> e = m.entrySet().iterator().next();
                String k = String.valueOf(e.getKey());
                Object a = e.getValue();
                if (k.equals("Ref") && a instanceof String s) {
                    out.add(s);
                } else if (k.equals("Fn::GetAtt")) {
                    if (a instanceof String s) {
                        out.add(s.contains(".") ? s.substring(0, s.indexOf('.')) : s);
                    } else if (a instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof String s) {
                        out.add(s);
                    }
                } else if (k.equals("Fn::Sub")) {
                    Object template = a instanceof List<?> l && !l.isEmpty() ? l.get(0) : a;
                    if (template instanceof String s) {
                        Matcher mm = SUB_VAR.matcher(s);
                        while (mm.find()) {
                            out.add(mm.group(1));
                        }
                    }
                }
            }
            m.values().forEach(x -> references(x, out));
        } else if (v instanceof List<?> l) {
            l.forEach(x -> references(x, out));
        }
    }

    /** A node as plain data; short-form intrinsics become their long form ({@code !Ref X} → {@code {Ref: X}}). */
    static Object value(Node n) {
        String tag = n.getTag().getValue();
        if (tag.startsWith("!") && !tag.startsWith("!!")) {
            String f = tag.substring(1);
            String name = f.equals("Ref") || f.equals("Condition") ? f : "Fn::" + f;
            Object arg;
            if (n instanceof ScalarNode s) {
                arg = f.equals("GetAtt") && s.getValue().contains(".")
                        ? List.of(s.getValue().substring(0, s.getValue().indexOf('.')),
                                s.getValue().substring(s.getValue().indexOf('.') + 1))
                        : s.getValue();
            } else {
                arg = untagged(n);
            }
            return Map.of(name, arg);
        }
        return untagged(n);
    }

    private static Object untagged(Node n) {
        if (n instanceof MappingNode m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    Object v = value(t.getValueNode());
                    if (v != null) {
                        out.put(k.getValue(), v);
                    }
                }
            }
            return Collections.unmodifiableMap(out);
        }
        if (n instanceof SequenceNode s) {
            List<Object> out = new ArrayList<>();
            for (Node c : s.getValue()) {
                Object v = value(c);
                out.add(v == null ? "" : v);
            }
            return Collections.unmodifiableList(out);
        }
        ScalarNode s = (ScalarNode) n;
        String text = s.getValue();
        Tag tag = s.getTag();
        try {
            if (tag.equals(Tag.BOOL)) {
                return Boolean.parseBoolean(text.toLowerCase(java.util.Locale.ROOT));
            }
            if (tag.equals(Tag.INT)) {
                return Long.parseLong(text);
            }
            if (tag.equals(Tag.FLOAT)) {
                return Double.parseDouble(text);
            }
        } catch (NumberFormatException e) {
            return text;
        }
        if (tag.equals(Tag.NULL)) {
            return null;
        }
        // CloudFormation reads True/TRUE (YAML 1.1) and the strings "true"/"false" as booleans for Boolean
        // properties, as Terraform converts "true": a condition comparing with true must see them alike.
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text.toLowerCase(java.util.Locale.ROOT));
        }
        return text;
    }
}
