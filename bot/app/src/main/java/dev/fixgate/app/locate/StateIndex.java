package dev.fixgate.app.locate;

import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The deployed objects of a checkout's Terraform states, by the identifiers a cloud finding can name: which
 * state addresses claim a resource.
 *
 * <ul>
 *   <li>AWS: an instance whose {@code arn} equals the finding's ARN. Failing that, one without an {@code arn}
 *       whose {@code id} equals the ARN's resource id ({@code sg-0abc}, a bucket name) and whose type deploys
 *       the finding's resource type — an id is shared by a resource and its satellites, an ARN is not.</li>
 *   <li>Azure: {@code id} equal to the resource id, case-insensitively (Azure ids are).</li>
 *   <li>GCP: {@code id} or {@code self_link} equal to the full resource name's path
 *       ({@code projects/p/zones/z/instances/i}) or ending with it.</li>
 *   <li>Only when no instance is the resource itself: an instance that owns it without a block of its own
 *       ({@link TerraformState#OWNED}: a VPC's default security group).</li>
 * </ul>
 */
final class StateIndex {

    /** One instance of one state, in its root module's directory. */
    record Entry(String dir, TerraformState state, TerraformState.Instance instance) {
        /** {@code terraform/aws/terraform.tfstate: module.x.aws_s3_bucket.y["k"]}, with the workspace when not default. */
        String describe() {
            return state.source() + (state.workspace().equals("default") ? "" : " (workspace " + state.workspace() + ")")
                    + ": " + instance.address();
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Map<String, List<Entry>> byArn = new HashMap<>();
    private final Map<String, List<Entry>> byId = new HashMap<>();
    private final Map<String, List<Entry>> byIdLower = new HashMap<>();
    private final Map<String, List<Claim>> byOwned = new HashMap<>();

    /**
     * An instance that claims a cloud resource.
     *
     * @param owner the attribute by which it owns the resource ({@code default_security_group_id}); empty when the
     *              instance is the resource itself
     */
    record Claim(Entry entry, String owner) {
        String describe() {
            return entry.describe() + (owner.isEmpty() ? "" : " (owns it as " + owner + ")");
        }
    }

    StateIndex(List<StateSources.Loaded> states) {
        for (StateSources.Loaded s : states) {
            for (TerraformState.Instance i : s.state().instances()) {
                Entry e = new Entry(s.dir(), s.state(), i);
                entries.add(e);
                String arn = i.identifiers().get("arn");
                if (arn != null) {
                    byArn.computeIfAbsent(arn, k -> new ArrayList<>()).add(e);
                }
                for (String attr : TerraformState.OWNED) {
                    String v = i.identifiers().get(attr);
                    if (v != null) {
                        byOwned.computeIfAbsent(v, k -> new ArrayList<>()).add(new Claim(e, attr));
                    }
                }
                for (String attr : List.of("id", "self_link")) {
                    String v = i.identifiers().get(attr);
                    if (v != null) {
                        byId.computeIfAbsent(v, k -> new ArrayList<>()).add(e);
                        byIdLower.computeIfAbsent(v.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(e);
                    }
                }
            }
        }
    }

    int size() {
        return entries.size();
    }

    /** Every state instance that claims {@code r}; several when more than one state (or address) does. */
    List<Claim> claims(CloudResource r) {
        String id = r.id();
        List<Entry> itself = switch (r.cloud()) {
            case AWS -> aws(r);
            case AZURE -> List.copyOf(byIdLower.getOrDefault(id.toLowerCase(Locale.ROOT), List.of()));
            case GCP -> gcp(id);
            case UNKNOWN -> List.copyOf(byId.getOrDefault(id, List.of()));
        };
        if (!itself.isEmpty()) {
            return itself.stream().map(e -> new Claim(e, "")).toList();
        }
        String ownedId = r.cloud() == Cloud.AWS && id.startsWith("arn:") ? FindingLocator.nameOf(r) : id;
        return List.copyOf(byOwned.getOrDefault(ownedId, List.of()));
    }

    private List<Entry> aws(CloudResource r) {
        if (!r.id().startsWith("arn:")) {
            return byId.getOrDefault(r.id(), List.of()).stream()
                    .filter(e -> ResourceTypes.deploys(r, e.instance().type())).toList();
        }
        List<Entry> exact = byArn.getOrDefault(r.id(), List.of());
        if (!exact.isEmpty()) {
            return List.copyOf(exact);
        }
        String resourceId = FindingLocator.nameOf(r);
        return byId.getOrDefault(resourceId, List.of()).stream()
                .filter(e -> !e.instance().identifiers().containsKey("arn"))
                .filter(e -> ResourceTypes.deploys(r, e.instance().type())).toList();
    }

    private List<Entry> gcp(String id) {
        String path = id.startsWith("//") && id.indexOf('/', 2) > 0 ? id.substring(id.indexOf('/', 2) + 1) : id;
        List<Entry> out = new ArrayList<>(byId.getOrDefault(path, List.of()));
        if (out.isEmpty()) {
            for (Entry e : entries) {
                String link = e.instance().identifiers().getOrDefault("self_link", "");
                if (!link.isEmpty() && link.endsWith("/" + path)) {
                    out.add(e);
                }
            }
        }
        return out;
    }
}
