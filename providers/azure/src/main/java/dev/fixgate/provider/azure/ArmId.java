package dev.fixgate.provider.azure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An Azure Resource Manager resource id, parsed: {@code /subscriptions/S/resourceGroups/RG/providers/NS/type/name
 * [/childType/childName…]}. Segment keys are matched without regard to case (ARM ids are case-insensitive); names
 * keep the case they were given. A malformed id is rejected with the segment that is wrong.
 *
 * @param subscription  the subscription id
 * @param resourceGroup the resource group; empty for a subscription-level id
 * @param namespace     the provider namespace, e.g. {@code Microsoft.Storage}; empty when the id names no resource
 * @param types         the type segments, e.g. {@code [storageAccounts, blobServices]}
 * @param names         the name of each type segment
 */
public record ArmId(String subscription, String resourceGroup, String namespace, List<String> types, List<String> names) {

    public ArmId {
        types = List.copyOf(types);
        names = List.copyOf(names);
    }

    public static ArmId parse(String id) {
        if (id == null || !id.startsWith("/")) {
            throw new IllegalArgumentException("Azure resource id " + quote(id) + ": must start with /subscriptions/");
        }
        for (char c : id.toCharArray()) {
            if (c < 0x20 || c == '\'' || c == '"' || c == '\\') {
                throw new IllegalArgumentException("Azure resource id " + quote(id) + ": has a character no id has");
            }
        }
        String[] s = id.substring(1).split("/", -1);
        if (s.length < 2 || !s[0].equalsIgnoreCase("subscriptions") || s[1].isBlank()) {
            throw new IllegalArgumentException("Azure resource id " + quote(id) + ": must start with /subscriptions/{id}");
        }
        String sub = s[1];
        if (s.length == 2) {
            return new ArmId(sub, "", "", List.of(), List.of());
        }
        if (s.length < 4 || !s[2].equalsIgnoreCase("resourceGroups") || s[3].isBlank()) {
            throw new IllegalArgumentException("Azure resource id " + quote(id) + ": segment 3 must be resourceGroups/{name}");
        }
        String rg = s[3];
        if (s.length == 4) {
            return new ArmId(sub, rg, "", List.of(), List.of());
        }
        if (s.length < 8 || !s[4].equalsIgnoreCase("providers") || s[5].isBlank() || (s.length - 6) % 2 != 0) {
            throw new IllegalArgumentException("Azure resource id " + quote(id)
                    + ": after the resource group it must be providers/{namespace}/{type}/{name}[/{type}/{name}…]");
        }
        List<String> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 6; i < s.length; i += 2) {
            if (s[i].isBlank() || s[i + 1].isBlank()) {
                throw new IllegalArgumentException("Azure resource id " + quote(id) + ": empty segment " + (i + 1));
            }
            types.add(s[i]);
            names.add(s[i + 1]);
        }
        return new ArmId(sub, rg, s[5], types, names);
    }

    /** Parsed, or empty when {@code id} is not an ARM resource id. */
    public static Optional<ArmId> tryParse(String id) {
        try {
            return Optional.of(parse(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code Microsoft.Storage/storageAccounts/blobServices}, lower-cased for comparisons. */
    public String type() {
        return (namespace + "/" + String.join("/", types)).toLowerCase(Locale.ROOT);
    }

    /** Whether this id is, or is below, a resource of {@code type} (e.g. {@code microsoft.sql/servers}). */
    public boolean within(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        return type().equals(t) || type().startsWith(t + "/");
    }

    /** The id of the ancestor (or self) whose type is {@code type}; empty when there is none. */
    public Optional<ArmId> ancestor(String type) {
        for (int n = types.size(); n >= 1; n--) {
            ArmId a = new ArmId(subscription, resourceGroup, namespace, types.subList(0, n), names.subList(0, n));
            if (a.type().equals(type.toLowerCase(Locale.ROOT))) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** A child of this resource. */
    public ArmId child(String type, String name) {
        List<String> t = new ArrayList<>(types);
        List<String> n = new ArrayList<>(names);
        t.add(type);
        n.add(name);
        return new ArmId(subscription, resourceGroup, namespace, t, n);
    }

    public String name() {
        return names.isEmpty() ? (resourceGroup.isEmpty() ? subscription : resourceGroup) : names.getLast();
    }

    public String resourceGroupId() {
        return "/subscriptions/" + subscription + "/resourceGroups/" + resourceGroup;
    }

    public String subscriptionId() {
        return "/subscriptions/" + subscription;
    }

    /** The canonical id text. */
    public String id() {
        StringBuilder b = new StringBuilder("/subscriptions/").append(subscription);
        if (!resourceGroup.isEmpty()) {
            b.append("/resourceGroups/").append(resourceGroup);
        }
        if (!namespace.isEmpty()) {
            b.append("/providers/").append(namespace);
            for (int i = 0; i < types.size(); i++) {
                b.append('/').append(types.get(i)).append('/').append(names.get(i));
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return id();
    }

    private static String quote(String s) {
        return s == null ? "(none)" : "'" + (s.length() > 300 ? s.substring(0, 300) + "…" : s) + "'";
    }
}
