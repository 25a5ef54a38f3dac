package dev.fixgate.provider.gcp;

import com.google.cloud.compute.v1.AttachedDisk;
import com.google.cloud.compute.v1.Disk;
import com.google.cloud.compute.v1.GuestOsFeature;
import com.google.cloud.compute.v1.Image;
import com.google.cloud.compute.v1.Instance;
import dev.fixgate.provider.common.evidence.CallFailedException;
import dev.fixgate.spi.evidence.ProviderSettings;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compute Engine instance evidence.
 * <ul>
 * <li>{@code compute.image_supports_shielded_vm}: the boot disk (or its source image) has the
 *     {@code UEFI_COMPATIBLE} guest OS feature, which Shielded VM's secure boot needs.</li>
 * <li>{@code compute.serial_console_sessions_30d}: serial console connections to the instance in the audit logs
 *     ({@code protoPayload.serviceName="ssh-serialport.googleapis.com"}), 30 days.</li>
 * </ul>
 * {@code compute.unsigned_kernel_modules} has no collector: see {@link GcpEvidenceProvider#UNANSWERED}.
 */
final class ComputeCollector extends GcpCollector {

    static final String SHIELDED = "compute.image_supports_shielded_vm";
    static final String SERIAL = "compute.serial_console_sessions_30d";
    private static final Pattern DISK = Pattern.compile("projects/([^/]+)/zones/([^/]+)/disks/([^/]+)$");
    private static final Pattern IMAGE = Pattern.compile("projects/([^/]+)/global/images/([^/]+)$");

    ComputeCollector(GcpClients clients, ProviderSettings settings) {
        super("gcp.compute", Set.of(SHIELDED, SERIAL), List.of(GcpReads.INSTANCE_GET, GcpReads.DISK_GET, GcpReads.IMAGE_GET,
                GcpReads.LOG_ENTRIES, GcpReads.PRIVATE_LOG_ENTRIES), EnumSet.of(GcpResource.Kind.INSTANCE), clients, settings);
    }

    @Override
    void answer(Ctx ctx) throws CallFailedException {
        var a = ctx.answers();
        GcpResource r = ctx.resource();
        Instance instance = ctx.budget().call(GcpReads.INSTANCE_GET,
                () -> ctx.sdk().instances().get().get(r.project(), r.location(), r.name()), GcpFailures::classify);
        if (a.wants(SHIELDED)) {
            try {
                a.observed(SHIELDED, uefi(ctx, instance), ctx.provenance(GcpReads.INSTANCE_GET, GcpReads.DISK_GET, GcpReads.IMAGE_GET));
            } catch (CallFailedException e) {
                ctx.unavailable(e, SHIELDED);
            }
        }
        if (a.wants(SERIAL)) {
            String filter = "resource.type=\"gce_instance\" AND resource.labels.instance_id=" + LogCount.quote(Long.toUnsignedString(instance.getId()))
                    + " AND protoPayload.serviceName=\"ssh-serialport.googleapis.com\"";
            try {
                long n = LogCount.count(ctx, filter, ctx.from(Duration.ofDays(30)), ctx.request().now(), GcpReads.LOG_ENTRIES);
                a.observed(SERIAL, n, ctx.provenance(GcpReads.INSTANCE_GET, GcpReads.LOG_ENTRIES, GcpReads.PRIVATE_LOG_ENTRIES));
            } catch (CallFailedException e) {
                ctx.unavailable(e, SERIAL);
            }
        }
    }

    private static boolean uefi(Ctx ctx, Instance instance) throws CallFailedException {
        Optional<AttachedDisk> boot = instance.getDisksList().stream().filter(AttachedDisk::getBoot).findFirst();
        if (boot.isEmpty()) {
            return false;
        }
        if (hasUefi(boot.get().getGuestOsFeaturesList())) {
            return true;
        }
        Matcher d = DISK.matcher(boot.get().getSource());
        if (!d.find()) {
            return false;
        }
        Disk disk = ctx.budget().call(GcpReads.DISK_GET, () -> ctx.sdk().disks().get().get(d.group(1), d.group(2), d.group(3)),
                GcpFailures::classify);
        if (hasUefi(disk.getGuestOsFeaturesList())) {
            return true;
        }
        Matcher i = IMAGE.matcher(disk.getSourceImage());
        if (!i.find()) {
            return false;
        }
        Image image = ctx.budget().call(GcpReads.IMAGE_GET, () -> ctx.sdk().images().get().get(i.group(1), i.group(2)),
                GcpFailures::classify);
        return hasUefi(image.getGuestOsFeaturesList());
    }

    private static boolean hasUefi(List<GuestOsFeature> features) {
        return features.stream().anyMatch(f -> "UEFI_COMPATIBLE".equals(f.getType()));
    }
}
