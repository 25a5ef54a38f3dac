package dev.fixgate.provider.gcp;

import dev.fixgate.spi.finding.CloudResource;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GCP resource the collectors know, parsed from a full resource name ({@code //storage.googleapis.com/projects/_/
 * buckets/b}, {@code //compute.googleapis.com/projects/p/zones/z/instances/i}), a self link
 * ({@code https://www.googleapis.com/compute/v1/projects/…}) or — only when the id is a bare name — from the type
 * the source gives plus the project in {@code account} and the zone or location in {@code region}.
 *
 * @param kind     what it is
 * @param project  the project id; empty when the name does not say and the finding gave none (a bucket's
 *                 {@code projects/_})
 * @param location zone (instances), region or zone (clusters); empty when global
 * @param name     the resource's short name
 */
public record GcpResource(Kind kind, String project, String location, String name) {

    public enum Kind {
        BUCKET("storage.googleapis.com", "storage.googleapis.com/Bucket"),
        INSTANCE("compute.googleapis.com", "compute.googleapis.com/Instance"),
        FIREWALL("compute.googleapis.com", "compute.googleapis.com/Firewall"),
        CLUSTER("container.googleapis.com", "container.googleapis.com/Cluster"),
        SQL_INSTANCE("sqladmin.googleapis.com", "sqladmin.googleapis.com/Instance");

        final String service;
        final String assetType;

        Kind(String service, String assetType) {
            this.service = service;
            this.assetType = assetType;
        }
    }

    private static final Pattern FULL = Pattern.compile("^//([a-z0-9.-]+)/(.+)$");
    private static final Pattern SELF_LINK = Pattern.compile("^https://(?:www|compute)\\.googleapis\\.com/compute/(?:v1|beta)/(.+)$");
    private static final String NAME = "[a-zA-Z0-9._-]+";
    private static final Pattern BUCKET = Pattern.compile("^(?:projects/(" + NAME + ")/buckets/|b/)?(" + NAME + ")$");
    private static final Pattern INSTANCE = Pattern.compile("^projects/(" + NAME + ")/zones/(" + NAME + ")/instances/(" + NAME + ")$");
    private static final Pattern FIREWALL = Pattern.compile("^projects/(" + NAME + ")/global/firewalls/(" + NAME + ")$");
    private static final Pattern CLUSTER = Pattern.compile("^projects/(" + NAME + ")/(?:locations|zones)/(" + NAME + ")/clusters/(" + NAME + ")$");
    private static final Pattern SQL = Pattern.compile("^projects/(" + NAME + ")/instances/(" + NAME + ")$");

    /** Parsed, or why not: the message names the id and what is wrong with it. */
    public static GcpResource parse(CloudResource r) {
        String id = r.id().strip();
        Matcher m = SELF_LINK.matcher(id);
        if (m.matches()) {
            id = "//compute.googleapis.com/" + m.group(1);
        }
        m = FULL.matcher(id);
        if (m.matches()) {
            return full(m.group(1).toLowerCase(Locale.ROOT), m.group(2), r);
        }
        if (id.contains("/")) {
            throw new IllegalArgumentException("GCP resource id '" + r.id() + "': neither a full resource name (//service/…)"
                    + " nor a bare name");
        }
        Kind kind = kindOfType(r.type()).orElseThrow(() -> new IllegalArgumentException("GCP resource '" + r.id()
                + "': a bare name needs a type fixgate knows, got '" + r.type() + "'"));
        if (!id.matches(NAME)) {
            throw new IllegalArgumentException("GCP resource '" + r.id() + "': not a valid resource name");
        }
        if ((kind == Kind.INSTANCE || kind == Kind.CLUSTER) && r.region().isBlank()) {
            throw new IllegalArgumentException("GCP resource '" + r.id() + "': a bare " + kind.name().toLowerCase(Locale.ROOT)
                    + " name needs its zone or location in region");
        }
        return new GcpResource(kind, r.account(), kind == Kind.BUCKET || kind == Kind.FIREWALL || kind == Kind.SQL_INSTANCE
                ? "" : r.region(), id);
    }

    public static Optional<GcpResource> tryParse(CloudResource r) {
        try {
            return Optional.of(parse(r));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static GcpResource full(String service, String path, CloudResource r) {
        Matcher m;
        switch (service) {
            case "storage.googleapis.com" -> {
                if ((m = BUCKET.matcher(path)).matches()) {
                    String project = m.group(1) == null || m.group(1).equals("_") ? r.account() : m.group(1);
                    return new GcpResource(Kind.BUCKET, project, "", m.group(2));
                }
            }
            case "compute.googleapis.com" -> {
                if ((m = INSTANCE.matcher(path)).matches()) {
                    return new GcpResource(Kind.INSTANCE, m.group(1), m.group(2), m.group(3));
                }
                if ((m = FIREWALL.matcher(path)).matches()) {
                    return new GcpResource(Kind.FIREWALL, m.group(1), "", m.group(2));
                }
            }
            case "container.googleapis.com" -> {
                if ((m = CLUSTER.matcher(path)).matches()) {
                    return new GcpResource(Kind.CLUSTER, m.group(1), m.group(2), m.group(3));
                }
            }
            case "sqladmin.googleapis.com", "cloudsql.googleapis.com" -> {
                if ((m = SQL.matcher(path)).matches()) {
                    return new GcpResource(Kind.SQL_INSTANCE, m.group(1), "", m.group(2));
                }
            }
            default -> throw new IllegalArgumentException("GCP resource '" + r.id() + "': service " + service
                    + " is not one fixgate reads");
        }
        throw new IllegalArgumentException("GCP resource '" + r.id() + "': '" + path + "' is not a " + service
                + " resource name fixgate knows");
    }

    /** The kind a source's type names: Terraform, Cloud Asset Inventory, or the short forms. */
    static Optional<Kind> kindOfType(String type) {
        String t = type.toLowerCase(Locale.ROOT);
        for (Kind k : Kind.values()) {
            if (t.equals(k.assetType.toLowerCase(Locale.ROOT))) {
                return Optional.of(k);
            }
        }
        return Optional.ofNullable(switch (t) {
            case "google_storage_bucket", "bucket", "gcs_bucket", "storagebucket" -> Kind.BUCKET;
            case "google_compute_instance", "instance", "gce_instance", "computeinstance" -> Kind.INSTANCE;
            case "google_compute_firewall", "firewall", "computefirewall" -> Kind.FIREWALL;
            case "google_container_cluster", "cluster", "k8s_cluster", "containercluster" -> Kind.CLUSTER;
            case "google_sql_database_instance", "cloudsql_database", "sqlinstance", "cloudsql.googleapis.com/instance" -> Kind.SQL_INSTANCE;
            default -> null;
        });
    }

    /** The Cloud Asset Inventory name, e.g. {@code //storage.googleapis.com/b} (CAI names buckets without a project). */
    public String assetName() {
        return switch (kind) {
            case BUCKET -> "//storage.googleapis.com/" + name;
            case INSTANCE -> "//compute.googleapis.com/projects/" + project + "/zones/" + location + "/instances/" + name;
            case FIREWALL -> "//compute.googleapis.com/projects/" + project + "/global/firewalls/" + name;
            case CLUSTER -> "//container.googleapis.com/projects/" + project + "/locations/" + location + "/clusters/" + name;
            case SQL_INSTANCE -> "//cloudsql.googleapis.com/projects/" + project + "/instances/" + name;
        };
    }

    /** The product names Personalized Service Health uses for this kind's service. */
    List<String> products() {
        return switch (kind) {
            case BUCKET -> List.of("Cloud Storage", "Google Cloud Storage");
            case INSTANCE, FIREWALL -> List.of("Google Compute Engine", "Compute Engine", "Virtual Private Cloud (VPC)");
            case CLUSTER -> List.of("Google Kubernetes Engine");
            case SQL_INSTANCE -> List.of("Google Cloud SQL", "Cloud SQL");
        };
    }
}
