package dev.fixgate.app.report;

import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.finding.ControlId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * fixgate's canonical controls ({@code aws.s3.bucket.versioning}) → a framework's control ids, from the playbooks
 * that fix them: a finding counts against every framework control its playbooks help satisfy. A canonical control
 * no playbook fixes maps to nothing (the report lists such findings as unmapped).
 */
public final class ControlMap {

    private final Framework framework;
    private final Map<String, List<String>> byControl;

    private ControlMap(Framework framework, Map<String, List<String>> byControl) {
        this.framework = framework;
        this.byControl = byControl;
    }

    public static ControlMap of(PlaybookCatalog catalog, Framework framework) {
        Map<String, Set<String>> sets = new HashMap<>();
        for (Playbook p : catalog.all()) {
            List<String> ids = p.compliance().getOrDefault(framework.playbookKey(), List.of());
            for (ControlId c : p.controls()) {
                sets.computeIfAbsent(c.value(), k -> new TreeSet<>(ControlMap::byNumber)).addAll(ids);
            }
        }
        Map<String, List<String>> out = new HashMap<>();
        sets.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return new ControlMap(framework, out);
    }

    public Framework framework() {
        return framework;
    }

    /** The framework's control ids for a canonical control, in catalog order; empty when none. */
    public List<String> controls(String canonicalControl) {
        return byControl.getOrDefault(canonicalControl, List.of());
    }

    /**
     * Control ids in the order a reader expects: family, then number, then enhancement (AC-3 before AC-17, SC-8
     * before SC-8(1); 3.1.3 before 3.13.1).
     */
    static int byNumber(String a, String b) {
        return KEY.compare(a, b);
    }

    private static final Comparator<String> KEY = Comparator.comparing(ControlMap::parts, ControlMap::comparePartLists);

    private static List<Object> parts(String id) {
        List<Object> out = new ArrayList<>();
        for (String p : id.split("(?<=\\D)(?=\\d)|(?<=\\d)(?=\\D)")) {
            out.add(p.chars().allMatch(Character::isDigit) && !p.isEmpty() ? (Object) Long.parseLong(p) : p);
        }
        return out;
    }

    private static int comparePartLists(List<Object> a, List<Object> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            Object x = a.get(i);
            Object y = b.get(i);
            int c;
            if (x instanceof Long l && y instanceof Long m) {
                c = Long.compare(l, m);
            } else {
                c = x.toString().compareTo(y.toString());
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
