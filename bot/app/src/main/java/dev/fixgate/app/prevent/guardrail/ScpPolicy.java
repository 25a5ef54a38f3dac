package dev.fixgate.app.prevent.guardrail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fixgate.app.json.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * One service control policy as delivered: a name and its statements. Its size is measured the way AWS Organizations
 * counts it against the SCP size quota — characters of the document as stored, so the document is delivered minified
 * (the console strips whitespace, the API and Terraform send what they are given).
 *
 * <p>Quotas (AWS Organizations User Guide, "Quotas and service limits for AWS Organizations", and the re:Post
 * article "How do I manage the SCP character size limit or number of SCPs"): an SCP document is at most
 * {@value #MAX_CHARACTERS} characters, extra spaces and line breaks included; at most {@value #MAX_PER_TARGET} SCPs
 * can be attached to a root, an OU or an account, and {@code FullAWSAccess}, attached to every one of them by
 * default, counts among those five.
 */
public record ScpPolicy(String name, List<ScpStatement> statements) {

    /** The SCP document size quota, in characters. */
    public static final int MAX_CHARACTERS = 5_120;
    /** SCPs attachable to one root, OU or account. */
    public static final int MAX_PER_TARGET = 5;

    public ScpPolicy {
        Objects.requireNonNull(name, "name");
        statements = List.copyOf(statements);
    }

    /** The policy document: {@code Version} and the statements, in order. */
    public Map<String, Object> document() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("Version", "2012-10-17");
        doc.put("Statement", statements.stream().map(ScpStatement::toJson).toList());
        return doc;
    }

    /** The document without any whitespace between tokens: what is delivered and what counts. */
    public String minified() {
        return minified(document());
    }

    static String minified(Map<String, Object> document) {
        try {
            return Json.mapper().writer().without(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Characters counted against {@link #MAX_CHARACTERS}. */
    public int size() {
        return size(minified());
    }

    /**
     * Characters of a minified document as AWS stores it. Terraform's {@code jsonencode} writes {@code <}, {@code >}
     * and {@code &} as six-character {@code \u003c} escapes; they are counted that way whatever the format, so the
     * size never falls short of what either delivery sends.
     */
    static int size(String minified) {
        int n = minified.codePointCount(0, minified.length());
        for (int i = 0; i < minified.length(); i++) {
            char c = minified.charAt(i);
            if (c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                n += 5;
            }
        }
        return n;
    }

    /** Characters left under the quota. */
    public int room() {
        return MAX_CHARACTERS - size();
    }

    /** Name, size, quota, room left, statements and playbooks: how reports and the manifest describe a policy. */
    public Map<String, Object> summary() {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("characters", size());
        e.put("limit", MAX_CHARACTERS);
        e.put("room", room());
        e.put("statements", statements.size());
        e.put("playbooks", List.copyOf(sources()));
        return e;
    }

    /** The playbooks whose guardrails this policy carries. */
    public SortedSet<String> sources() {
        SortedSet<String> out = new TreeSet<>();
        statements.forEach(s -> out.addAll(s.sources()));
        return out;
    }
}
