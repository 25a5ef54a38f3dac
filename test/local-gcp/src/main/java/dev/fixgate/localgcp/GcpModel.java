package dev.fixgate.localgcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the local GCP knows, changeable while it runs: Cloud Asset Inventory resources, Compute Engine instances,
 * disks, images and firewall rules, Cloud Storage buckets (IAM, ACLs, objects), Cloud Logging entries and Service
 * Health events — each as the REST API returns it.
 */
public final class GcpModel {

    static final ObjectMapper JSON = dev.fixgate.localcloud.StandInServer.JSON;

    /** Project → asset search results. */
    final Map<String, List<ObjectNode>> assets = new ConcurrentHashMap<>();
    /** "project/zone/name" or "project/global/name" → resource JSON, per collection. */
    final Map<String, ObjectNode> instances = new ConcurrentHashMap<>();
    final Map<String, ObjectNode> disks = new ConcurrentHashMap<>();
    final Map<String, ObjectNode> images = new ConcurrentHashMap<>();
    final Map<String, ObjectNode> firewalls = new ConcurrentHashMap<>();
    /** Bucket name → bucket state. */
    final Map<String, BucketState> buckets = new ConcurrentHashMap<>();
    /** Project → log entries. */
    final Map<String, List<ObjectNode>> logs = new ConcurrentHashMap<>();
    /** Project → Service Health events. */
    final Map<String, List<ObjectNode>> events = new ConcurrentHashMap<>();
    /** Project → its Binary Authorization policy, when set. */
    final Map<String, ObjectNode> binauthzPolicies = new ConcurrentHashMap<>();
    /** Security Command Center findings by project: ListFindingsResult objects ({@code finding}, {@code resource}). */
    final Map<String, List<ObjectNode>> sccFindings = new ConcurrentHashMap<>();

    static final class BucketState {
        final String name;
        volatile boolean uniform;
        final List<String[]> bindings = new CopyOnWriteArrayList<>();
        final List<String[]> acl = new CopyOnWriteArrayList<>();
        /** Object name → its ACL entries (entity, role). */
        final Map<String, List<String[]>> objects = new java.util.concurrent.ConcurrentSkipListMap<>();

        BucketState(String name) {
            this.name = name;
        }
    }

    static ObjectNode parse(String json, String what) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException(what + " is not a JSON object: " + json, e);
        }
    }

    /** A Cloud Asset Inventory resource with labels. */
    /**
     * A Security Command Center finding in {@code project} (a Security Health Analytics finding: class MISCONFIGURATION),
     * as ListFindings returns it: {@code finding} (name, parent, resourceName, state, category, severity, eventTime,
     * createTime, findingClass) and {@code resource} (name, type, project, projectDisplayName). The same finding id
     * again replaces the earlier one (SCC updates a finding in place: a state change, a new event time).
     *
     * @param state ACTIVE or INACTIVE
     */
    public GcpModel sccFinding(String project, String id, String category, String state, String severity,
                               String resourceName, String resourceType, java.time.Instant eventTime,
                               java.time.Instant createTime) {
        String source = "projects/" + project + "/sources/1234567890";
        ObjectNode result = JSON.createObjectNode();
        ObjectNode f = result.putObject("finding");
        f.put("name", source + "/findings/" + id);
        f.put("parent", source);
        f.put("resourceName", resourceName);
        f.put("state", state);
        f.put("category", category);
        f.put("externalUri", "https://console.cloud.google.com/");
        f.put("eventTime", eventTime.toString());
        f.put("createTime", createTime.toString());
        f.put("severity", severity);
        f.put("canonicalName", source + "/findings/" + id);
        f.put("mute", "UNDEFINED");
        f.put("findingClass", "MISCONFIGURATION");
        ObjectNode r = result.putObject("resource");
        r.put("name", resourceName);
        r.put("project", "//cloudresourcemanager.googleapis.com/projects/" + Math.abs(project.hashCode()));
        r.put("projectDisplayName", project);
        r.put("type", resourceType);
        List<ObjectNode> list = sccFindings.computeIfAbsent(project, k -> new CopyOnWriteArrayList<>());
        list.removeIf(o -> o.path("finding").path("name").asText().equals(f.path("name").asText()));
        list.add(result);
        return this;
    }

    public GcpModel asset(String project, String name, String assetType, String location, Map<String, String> labels) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", name);
        o.put("assetType", assetType);
        o.put("project", "projects/" + project);
        o.put("location", location);
        o.set("labels", JSON.valueToTree(labels));
        List<ObjectNode> list = assets.computeIfAbsent(project, p -> new CopyOnWriteArrayList<>());
        list.removeIf(a -> a.get("name").asText().equals(name));
        list.add(o);
        return this;
    }

    /** An instance with a boot disk; {@code features} are the attached disk's guest OS features (often empty). */
    public GcpModel instance(String project, String zone, String name, long id, String bootDisk, List<String> features) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", "compute#instance");
        o.put("id", Long.toUnsignedString(id));
        o.put("name", name);
        o.put("zone", "https://www.googleapis.com/compute/v1/projects/" + project + "/zones/" + zone);
        ObjectNode d = o.putArray("disks").addObject();
        d.put("boot", true);
        d.put("deviceName", bootDisk);
        d.put("source", "https://www.googleapis.com/compute/v1/projects/" + project + "/zones/" + zone + "/disks/" + bootDisk);
        features(d, features);
        instances.put(project + "/" + zone + "/" + name, o);
        return this;
    }

    public GcpModel disk(String project, String zone, String name, String sourceImage, List<String> features) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", "compute#disk");
        o.put("name", name);
        if (sourceImage != null) {
            o.put("sourceImage", sourceImage);
        }
        features(o, features);
        disks.put(project + "/" + zone + "/" + name, o);
        return this;
    }

    public GcpModel image(String project, String name, List<String> features) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", "compute#image");
        o.put("name", name);
        features(o, features);
        images.put(project + "/global/" + name, o);
        return this;
    }

    public GcpModel firewall(String project, String name, String network, boolean logging) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", "compute#firewall");
        o.put("name", name);
        o.put("network", "https://www.googleapis.com/compute/v1/projects/" + project + "/global/networks/" + network);
        o.put("direction", "INGRESS");
        o.putObject("logConfig").put("enable", logging);
        firewalls.put(project + "/global/" + name, o);
        return this;
    }

    public GcpModel bucket(String name, boolean uniformAccess) {
        buckets.computeIfAbsent(name, BucketState::new).uniform = uniformAccess;
        return this;
    }

    public GcpModel removeBucket(String name) {
        buckets.remove(name);
        return this;
    }

    public GcpModel bucketBinding(String bucket, String role, String member) {
        state(bucket).bindings.add(new String[] {role, member});
        return this;
    }

    public GcpModel bucketAcl(String bucket, String entity, String role) {
        state(bucket).acl.add(new String[] {entity, role});
        return this;
    }

    /** An object; {@code acl} alternates entity and role. */
    public GcpModel object(String bucket, String name, String... acl) {
        List<String[]> entries = new CopyOnWriteArrayList<>();
        for (int i = 0; i + 1 < acl.length; i += 2) {
            entries.add(new String[] {acl[i], acl[i + 1]});
        }
        state(bucket).objects.put(name, entries);
        return this;
    }

    private BucketState state(String bucket) {
        BucketState s = buckets.get(bucket);
        if (s == null) {
            throw new IllegalArgumentException("no bucket " + bucket + ": add it with bucket() first");
        }
        return s;
    }

    /** A log entry (LogEntry JSON); its {@code timestamp} is set from {@code at}. */
    public GcpModel logEntry(String project, Instant at, String entry) {
        ObjectNode o = parse(entry, "log entry");
        o.put("timestamp", at.toString());
        o.put("insertId", Integer.toHexString(System.identityHashCode(o)));
        logs.computeIfAbsent(project, p -> new CopyOnWriteArrayList<>()).add(o);
        return this;
    }

    /** A Personalized Service Health event impacting {@code product} in {@code location}. */
    public GcpModel healthEvent(String project, String name, String state, String product, String location) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", "projects/" + project + "/locations/global/events/" + name);
        o.put("title", name);
        o.put("state", state);
        o.put("category", "INCIDENT");
        ObjectNode impact = o.putArray("eventImpacts").addObject();
        impact.putObject("product").put("productName", product);
        impact.putObject("location").put("locationName", location);
        events.computeIfAbsent(project, p -> new CopyOnWriteArrayList<>()).add(o);
        return this;
    }

    /**
     * The project's Binary Authorization policy: the default rule's evaluation mode and, per {@code
     * "<location>.<cluster>"}, cluster-specific rules (each {@code REQUIRE_ATTESTATION} rule names an attestor).
     */
    public GcpModel binauthzPolicy(String project, String defaultMode, Map<String, String> clusterModes) {
        ObjectNode o = JSON.createObjectNode();
        o.put("name", "projects/" + project + "/policy");
        o.put("globalPolicyEvaluationMode", "ENABLE");
        rule(o.putObject("defaultAdmissionRule"), project, defaultMode);
        if (!clusterModes.isEmpty()) {
            ObjectNode rules = o.putObject("clusterAdmissionRules");
            clusterModes.forEach((cluster, mode) -> rule(rules.putObject(cluster), project, mode));
        }
        o.put("updateTime", "2026-11-02T09:14:03.118204Z");
        o.put("etag", "\"" + Integer.toHexString(o.hashCode()) + "\"");
        binauthzPolicies.put(project, o);
        return this;
    }

    /** What {@code GET /v1/projects/{p}/policy} answers: the policy set, else the service's default policy. */
    ObjectNode binauthzPolicy(String project) {
        ObjectNode set = binauthzPolicies.get(project);
        if (set != null) {
            return set;
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("name", "projects/" + project + "/policy");
        o.put("globalPolicyEvaluationMode", "ENABLE");
        rule(o.putObject("defaultAdmissionRule"), project, "ALWAYS_ALLOW");
        return o;
    }

    private static void rule(ObjectNode rule, String project, String mode) {
        rule.put("evaluationMode", mode);
        if (mode.equals("REQUIRE_ATTESTATION")) {
            rule.putArray("requireAttestationsBy").add("projects/" + project + "/attestors/built-by-ci");
        }
        rule.put("enforcementMode", "ENFORCED_BLOCK_AND_AUDIT_LOG");
    }

    private static void features(ObjectNode o, List<String> features) {
        if (!features.isEmpty()) {
            ArrayNode a = o.putArray("guestOsFeatures");
            features.forEach(f -> a.addObject().put("type", f));
        }
    }
}
