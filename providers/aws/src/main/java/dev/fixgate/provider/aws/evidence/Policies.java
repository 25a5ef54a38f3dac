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

    private static boolean coversOne(String granted, String action, String service) {
        if (granted.equals("*") || granted.equalsIgnoreCase(service + "*") || granted.equalsIgnoreCase(action)) {
            return true;
        }
        return granted.endsWith("*") && action.toLowerCase().startsWith(granted.substring(0, granted.length() - 1).toLowerCase());
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
