package dev.fixgate.provider.gcp;

import dev.fixgate.spi.evidence.ReadAction;

/**
 * Every read the GCP collectors may make: the IAM permission and the REST method (as the API reference names it).
 * The read-only test maps each client call in the collectors' code to one of these operations.
 */
final class GcpReads {

    private GcpReads() {
    }

    static final ReadAction SEARCH_RESOURCES = new ReadAction("cloudasset.assets.searchAllResources",
            "assets.searchAllResources", "the resource's and the project's labels (Cloud Asset Inventory)");
    static final ReadAction BUCKET_GET = new ReadAction("storage.buckets.get", "buckets.get",
            "whether uniform bucket-level access is on (then ACLs do not apply)");
    static final ReadAction BUCKET_IAM = new ReadAction("storage.buckets.getIamPolicy", "buckets.getIamPolicy",
            "IAM bindings to allUsers / allAuthenticatedUsers");
    static final ReadAction BUCKET_ACL = new ReadAction("storage.buckets.getIamPolicy", "bucketAccessControls.list",
            "the bucket's ACL entries (reading ACLs needs the getIamPolicy permission)");
    static final ReadAction OBJECTS_LIST = new ReadAction("storage.objects.list", "objects.list",
            "a sample of objects whose ACLs are read");
    static final ReadAction OBJECT_ACL = new ReadAction("storage.objects.getIamPolicy", "objectAccessControls.list",
            "the sampled objects' ACL entries");
    static final ReadAction INSTANCE_GET = new ReadAction("compute.instances.get", "instances.get",
            "the instance's boot disk and numeric id");
    static final ReadAction DISK_GET = new ReadAction("compute.disks.get", "disks.get", "the boot disk's guest OS features and image");
    static final ReadAction IMAGE_GET = new ReadAction("compute.images.get", "images.get", "the source image's guest OS features");
    static final ReadAction FIREWALL_GET = new ReadAction("compute.firewalls.get", "firewalls.get",
            "whether firewall rules logging is on, and the rule's network");
    static final ReadAction LOG_ENTRIES = new ReadAction("logging.logEntries.list", "entries.list",
            "counting log entries (firewall, PostgreSQL, audit logs)");
    static final ReadAction PRIVATE_LOG_ENTRIES = new ReadAction("logging.privateLogEntries.list", "entries.list",
            "Data Access audit log entries are private logs");
    static final ReadAction HEALTH_EVENTS = new ReadAction("servicehealth.events.list", "events.list",
            "active Personalized Service Health events of the project");
    static final ReadAction BINAUTHZ_POLICY = new ReadAction("binaryauthorization.policy.get", "projects.getPolicy",
            "the project's Binary Authorization policy: the admission rule a cluster is held to");
}
