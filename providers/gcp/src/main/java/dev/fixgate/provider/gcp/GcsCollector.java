package dev.fixgate.provider.gcp;

import com.google.api.gax.paging.Page;
import com.google.cloud.Binding;
import com.google.cloud.storage.Acl;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.Storage;
import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.spi.evidence.ProviderSettings;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Cloud Storage bucket access.
 * <ul>
 * <li>{@code gcs.public_grants}: IAM members {@code allUsers} / {@code allAuthenticatedUsers} in the bucket's policy
 *     (one per binding), plus — unless uniform bucket-level access makes ACLs void — ACL entries for them on the
 *     bucket and on the sampled objects.</li>
 * <li>{@code gcs.acl_grants}: ACL entries on the bucket and on the first {@value #SAMPLE} objects other than the
 *     project convenience groups ({@code project-owners/editors/viewers-N}); 0 under uniform bucket-level access.</li>
 * </ul>
 * {@code gcs.anonymous_requests_30d} has no collector: see {@link GcpEvidenceProvider#UNANSWERED}.
 */
final class GcsCollector extends GcpCollector {

    static final String PUBLIC = "gcs.public_grants";
    static final String ACL = "gcs.acl_grants";
    static final int SAMPLE = 50;

    GcsCollector(GcpClients clients, ProviderSettings settings) {
        super("gcp.storage", Set.of(PUBLIC, ACL), List.of(GcpReads.BUCKET_GET, GcpReads.BUCKET_IAM, GcpReads.BUCKET_ACL,
                        GcpReads.OBJECTS_LIST, GcpReads.OBJECT_ACL),
                EnumSet.of(GcpResource.Kind.BUCKET), clients, settings);
    }

    @Override
    void answer(Ctx ctx) throws CallFailedException {
        var a = ctx.answers();
        String name = ctx.resource().name();
        // The client is built inside the first read, so missing credentials are that read's failure.
        Bucket bucket = ctx.budget().call(GcpReads.BUCKET_GET, () -> ctx.sdk().storage().get()
                        .get(name, Storage.BucketGetOption.fields(Storage.BucketField.IAMCONFIGURATION)),
                GcpFailures::classify);
        Storage storage = ctx.sdk().storage().get();
        if (bucket == null) {
            a.rest("not found: no bucket " + name, ctx.provenance(GcpReads.BUCKET_GET));
            return;
        }
        boolean uniform = bucket.getIamConfiguration() != null
                && Boolean.TRUE.equals(bucket.getIamConfiguration().isUniformBucketLevelAccessEnabled());
        List<Acl> acls = new ArrayList<>();
        if (!uniform) {
            try {
                acls = acls(ctx, storage, name);
            } catch (CallFailedException e) {
                ctx.unavailable(e, PUBLIC, ACL);
                return;
            }
        }
        if (a.wants(ACL)) {
            long n = acls.stream().filter(acl -> !projectRole(acl.getEntity())).count();
            a.observed(ACL, n, uniform ? ctx.provenance(GcpReads.BUCKET_GET)
                    : ctx.provenance(GcpReads.BUCKET_GET, GcpReads.BUCKET_ACL, GcpReads.OBJECTS_LIST, GcpReads.OBJECT_ACL));
        }
        if (a.wants(PUBLIC)) {
            try {
                long members = ctx.budget().call(GcpReads.BUCKET_IAM, () -> storage.getIamPolicy(name), GcpFailures::classify)
                        .getBindingsList().stream().map(Binding::getMembers).flatMap(List::stream)
                        .filter(m -> m.equals("allUsers") || m.equals("allAuthenticatedUsers")).count();
                long publicAcls = acls.stream().filter(acl -> isPublic(acl.getEntity())).count();
                a.observed(PUBLIC, members + publicAcls, ctx.provenance(GcpReads.BUCKET_GET, GcpReads.BUCKET_IAM, GcpReads.BUCKET_ACL));
            } catch (CallFailedException e) {
                ctx.unavailable(e, PUBLIC);
            }
        }
    }

    /** The bucket's ACL entries and those of its first {@value #SAMPLE} objects (following object pages). */
    private static List<Acl> acls(Ctx ctx, Storage storage, String bucket) throws CallFailedException {
        List<Acl> out = new ArrayList<>(ctx.budget().call(GcpReads.BUCKET_ACL, () -> storage.listAcls(bucket), GcpFailures::classify));
        List<String> sample = ctx.budget().call(GcpReads.OBJECTS_LIST, () -> {
            List<String> names = new ArrayList<>();
            Page<Blob> page = storage.list(bucket, Storage.BlobListOption.pageSize(SAMPLE));
            for (Blob blob : page.iterateAll()) {
                names.add(blob.getName());
                if (names.size() >= SAMPLE) {
                    break;
                }
            }
            return names;
        }, GcpFailures::classify);
        for (String object : sample) {
            BlobId id = BlobId.of(bucket, object);
            out.addAll(ctx.budget().call(GcpReads.OBJECT_ACL, () -> storage.listAcls(id), GcpFailures::classify));
        }
        return out;
    }

    private static boolean projectRole(Acl.Entity e) {
        return e instanceof Acl.Project;
    }

    private static boolean isPublic(Acl.Entity e) {
        return e.equals(Acl.User.ofAllUsers()) || e.equals(Acl.User.ofAllAuthenticatedUsers());
    }
}
