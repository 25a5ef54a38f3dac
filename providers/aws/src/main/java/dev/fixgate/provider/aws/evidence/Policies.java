package dev.fixgate.provider.aws.evidence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads IAM policy documents (bucket and key policies) for the few questions the collectors ask of them. */
final class Policies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Policies() {
    }

    static JsonNode parse(String policy) {
        try {
            return JSON.readTree(policy);
        } catch (JsonProcessingException e) {
            throw new AwsCollector.Unavailable("the policy is not valid JSON", "");
        }
    }

    /**
     * Whether an Allow statement grants {@code action} (or a wildcard covering it) to the service principal
     * {@code service}, to the account {@code account} (its root ARN or id; empty for none) or to everyone.
     */
    static boolean allows(String policy, String action, String service, String account) {
        JsonNode statements = parse(policy).path("Statement");
        for (JsonNode st : statements.isArray() ? statements : JSON.createArrayNode().add(statements)) {
            if (!st.path("Effect").asText("").equals("Allow")) {
                continue;
            }
            JsonNode p = st.path("Principal");
            boolean who = p.asText("").equals("*") || has(p.path("Service"), service) || has(p.path("AWS"), "*")
                    || !account.isEmpty() && (has(p.path("AWS"), account) || has(p.path("AWS"), "arn:aws:iam::" + account + ":root"));
            if (who && covers(st.path("Action"), action)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The principals of accounts other than {@code account} that an Allow statement names, whatever its actions: account
     * ids, {@code arn:…:iam::<id>:…} and {@code arn:…:sts::<id>:…} of another id, and {@code *} (anyone) — unless the
     * statement's {@code StringEquals} condition pins {@code aws:PrincipalAccount} to {@code account} alone. Service
     * and federated principals are not accounts; other conditions are ignored (the answer errs toward "shared").
     */
    static java.util.Set<String> otherAccounts(String policy, String account) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        JsonNode statements = parse(policy).path("Statement");
        for (JsonNode st : statements.isArray() ? statements : JSON.createArrayNode().add(statements)) {
            if (!st.path("Effect").asText("").equals("Allow")) {
                continue;
            }
            JsonNode p = st.path("Principal");
            java.util.List<String> named = new java.util.ArrayList<>();
            if (p.isTextual()) {
                named.add(p.asText());
            }
            JsonNode aws = p.path("AWS");
            for (JsonNode a : aws.isArray() ? aws : JSON.createArrayNode().add(aws)) {
                if (!a.asText("").isEmpty()) {
                    named.add(a.asText());
                }
            }
            for (String n : named) {
                if (n.equals("*")) {
                    if (!pinnedTo(st.path("Condition"), account)) {
                        out.add("*");
                    }
                    continue;
                }
                String id = n.matches("\\d{12}") ? n : n.matches("arn:[^:]+:(iam|sts)::\\d{12}:.*") ? n.split(":")[4] : "";
                if (!id.isEmpty() && !id.equals(account)) {
                    out.add(n);
                }
            }
        }
        return out;
    }

    private static boolean pinnedTo(JsonNode condition, String account) {
        var fields = condition.path("StringEquals").properties();
        for (var e : fields) {
            if (e.getKey().equalsIgnoreCase("aws:PrincipalAccount")) {
                JsonNode v = e.getValue();
                for (JsonNode x : v.isArray() ? v : JSON.createArrayNode().add(v)) {
                    if (!x.asText("").equals(account)) {
                        return false;
                    }
                }
                return !account.isEmpty();
            }
        }
        return false;
    }

    /**
     * The service principals ({@code Principal.Service}) of the Allow statements that grant {@code action} (or a
     * wildcard covering it), whatever their Resource or Condition; statements with {@code NotAction} are not counted.
     */
    static java.util.Set<String> servicesAllowed(String policy, String action) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        JsonNode statements = parse(policy).path("Statement");
        for (JsonNode st : statements.isArray() ? statements : JSON.createArrayNode().add(statements)) {
            if (!st.path("Effect").asText("").equals("Allow") || !covers(st.path("Action"), action)) {
                continue;
            }
            JsonNode services = st.path("Principal").path("Service");
            for (JsonNode s : services.isArray() ? services : JSON.createArrayNode().add(services)) {
                if (!s.asText("").isEmpty()) {
                    out.add(s.asText());
                }
            }
        }
        return out;
    }

    /**
     * Whether identity policies {@code documents} let their principal call {@code action} (an action whose resource is
     * {@code *}, as X-Ray's Put operations): some Allow statement without a Condition grants it on {@code *}, and no
     * Deny statement names it — a Deny counts whatever its resource or condition, so the answer errs toward "no".
     * {@code NotAction} is honoured; {@code NotResource} in an Allow does not count as a grant.
     */
    static boolean identityAllows(java.util.List<String> documents, String action) {
        boolean allowed = false;
        for (String doc : documents) {
            JsonNode statements = parse(doc).path("Statement");
            for (JsonNode st : statements.isArray() ? statements : JSON.createArrayNode().add(statements)) {
                boolean names = st.has("NotAction") ? !covers(st.path("NotAction"), action) : covers(st.path("Action"), action);
                if (!names) {
                    continue;
                }
                String effect = st.path("Effect").asText("");
                if (effect.equals("Deny")) {
                    return false;
                }
                if (effect.equals("Allow") && !st.has("Condition") && has(st.path("Resource"), "*")) {
                    allowed = true;
                }
            }
        }
        return allowed;
    }

    static boolean covers(JsonNode actions, String action) {
        String service = action.substring(0, action.indexOf(':') + 1);
        if (actions.isArray()) {
            for (JsonNode a : actions) {
                if (coversOne(a.asText(""), action, service)) {
                    return true;
                }
            }
            return false;
        }
        return coversOne(actions.asText(""), action, service);
    }

    /** IAM's action matching: case-insensitive, {@code *} any run of characters, {@code ?} one character. */
    private static boolean coversOne(String granted, String action, String service) {
        if (granted.equals("*") || granted.equalsIgnoreCase(service + "*") || granted.equalsIgnoreCase(action)) {
            return true;
        }
        StringBuilder regex = new StringBuilder();
        for (char c : granted.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : java.util.regex.Pattern.quote(String.valueOf(c)));
        }
        return java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.CASE_INSENSITIVE).matcher(action).matches();
    }

    static boolean has(JsonNode node, String value) {
        if (node.isArray()) {
            for (JsonNode n : node) {
                if (n.asText("").equals(value)) {
                    return true;
                }
            }
            return false;
        }
        return node.asText("").equals(value);
    }
}
