package dev.fixgate.provider.aws.evidence;

import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.cloudwatch.model.GetMetricDataResponse;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateVolumePermission;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeNetworkInterfacesResponse;
import software.amazon.awssdk.services.ec2.model.DescribeSnapshotsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.SnapshotAttributeName;

/**
 * EC2: instance metadata calls without a token, security-group attachments, snapshots and volumes.
 *
 * <ul>
 *   <li>{@code ec2.imds_v1_calls_14d}: the {@code AWS/EC2 MetadataNoToken} metric, daily sums over 14 days, for the
 *       instance, or for every instance launched from the launch template ({@code DescribeInstances} with the
 *       {@code tag:aws:ec2launchtemplate:id} filter). No datapoint at all means the instance did not run (or the metric
 *       is not published): unavailable, not 0.</li>
 *   <li>{@code sg.attached_interfaces}: {@code DescribeNetworkInterfaces} with the {@code group-id} filter, every
 *       page; the count.</li>
 *   <li>{@code ec2.snapshot_encrypted}, {@code ebs.volume_encrypted}: {@code DescribeSnapshots}/{@code DescribeVolumes}.</li>
 *   <li>{@code ec2.snapshot_source_exists}: the source named by the hints {@code source_snapshot_id} or
 *       {@code source_ami_id} (with {@code source_region}), else by the copy's description ("Copied for … from
 *       SourceAmi ami-… for SourceSnapshot snap-…", "[Copied snap-… from region]"), looked up in its region.</li>
 *   <li>{@code ebs.cross_account_snapshot_shares}: the region's snapshots owned by the account (paged) and each one's
 *       {@code createVolumePermission}; shared with another account or with everyone counts.</li>
 * </ul>
 */
final class Ec2Collector extends AwsCollector {

    static final String IMDS = "ec2.imds_v1_calls_14d";
    static final String SG = "sg.attached_interfaces";
    static final String SNAP_ENCRYPTED = "ec2.snapshot_encrypted";
    static final String SNAP_SOURCE = "ec2.snapshot_source_exists";
    static final String VOLUME_ENCRYPTED = "ebs.volume_encrypted";
    static final String SHARES = "ebs.cross_account_snapshot_shares";

    private static final Pattern SNAP = Pattern.compile("(snap-[0-9a-f]+)");
    private static final Pattern AMI = Pattern.compile("SourceAmi (ami-[0-9a-f]+)");
    private static final Pattern FROM_REGION = Pattern.compile("from ([a-z]{2}(?:-gov)?-[a-z]+-\\d)");

    Ec2Collector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.ec2";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(IMDS, SG, SNAP_ENCRYPTED, SNAP_SOURCE, VOLUME_ENCRYPTED, SHARES);
    }

    @Override
    Set<AwsTarget.Type> types() {
        return Set.of(AwsTarget.Type.EC2_INSTANCE, AwsTarget.Type.LAUNCH_TEMPLATE, AwsTarget.Type.SECURITY_GROUP,
                AwsTarget.Type.EBS_SNAPSHOT, AwsTarget.Type.AMI, AwsTarget.Type.EBS_VOLUME, AwsTarget.Type.ACCOUNT);
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(
                read("ec2:DescribeInstances", "DescribeInstances", "find the instance, or the instances of a launch template"),
                read("cloudwatch:GetMetricData", "GetMetricData", "the MetadataNoToken metric of each instance"),
                read("ec2:DescribeNetworkInterfaces", "DescribeNetworkInterfaces", "the interfaces a security group is attached to"),
                read("ec2:DescribeSecurityGroups", "DescribeSecurityGroups", "find the security group"),
                read("ec2:DescribeSnapshots", "DescribeSnapshots", "a snapshot's encryption and source; the account's snapshots"),
                read("ec2:DescribeSnapshotAttribute", "DescribeSnapshotAttribute", "who a snapshot is shared with"),
                read("ec2:DescribeImages", "DescribeImages", "whether a source AMI still exists"),
                read("ec2:DescribeVolumes", "DescribeVolumes", "a volume's encryption"));
    }

    @Override
    boolean presentIn(Ctx ctx) {
        Ec2Client ec2 = clients.ec2(ctx.account(), ctx.region());
        String id = ctx.target.id();
        return switch (ctx.target.type()) {
            case EC2_INSTANCE -> ctx.optional("ec2:DescribeInstances", () -> ec2.describeInstances(b -> b.instanceIds(id)
                    .overrideConfiguration(ctx.budget::apply)), "InvalidInstanceID.NotFound").isPresent();
            case SECURITY_GROUP -> ctx.optional("ec2:DescribeSecurityGroups", () -> ec2.describeSecurityGroups(b -> b.groupIds(id)
                    .overrideConfiguration(ctx.budget::apply)), "InvalidGroup.NotFound").isPresent();
            case EBS_SNAPSHOT -> snapshot(ctx, ctx.region(), id).isPresent();
            case EBS_VOLUME -> ctx.optional("ec2:DescribeVolumes", () -> ec2.describeVolumes(b -> b.volumeIds(id)
                    .overrideConfiguration(ctx.budget::apply)), "InvalidVolume.NotFound").isPresent();
            case AMI -> image(ctx, ctx.region(), id);
            default -> true;
        };
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
        Ec2Client ec2 = clients.ec2(ctx.account(), ctx.region());
        AwsTarget t = ctx.target;
        return switch (kind) {
            case IMDS -> imds(ctx, ec2);
            case SG -> {
                if (t.type() != AwsTarget.Type.SECURITY_GROUP) {
                    throw new Unavailable("only for a security group", "");
                }
                long count = 0;
                String token = null;
                do {
                    String tk = token;
                    DescribeNetworkInterfacesResponse r = ctx.call("ec2:DescribeNetworkInterfaces", () ->
                            ec2.describeNetworkInterfaces(b -> b.filters(Filter.builder().name("group-id").values(t.id()).build())
                                    .maxResults(1000).nextToken(tk).overrideConfiguration(ctx.budget::apply)));
                    count += r.networkInterfaces().size();
                    token = r.nextToken();
                } while (token != null && !token.isEmpty());
                yield ctx.value(kind, count, "ec2:DescribeNetworkInterfaces");
            }
            case SNAP_ENCRYPTED -> {
                if (t.type() != AwsTarget.Type.EBS_SNAPSHOT) {
                    throw new Unavailable("only for a snapshot", "");
                }
                Snapshot s = snapshot(ctx, ctx.region(), t.id())
                        .orElseThrow(() -> new Unavailable("the snapshot " + t.id() + " does not exist", "ec2:DescribeSnapshots"));
                yield ctx.value(kind, Boolean.TRUE.equals(s.encrypted()), "ec2:DescribeSnapshots");
            }
            case SNAP_SOURCE -> sourceExists(ctx);
            case VOLUME_ENCRYPTED -> {
                if (t.type() != AwsTarget.Type.EBS_VOLUME) {
                    throw new Unavailable("only for a volume", "");
                }
                var r = ctx.optional("ec2:DescribeVolumes", () -> ec2.describeVolumes(b -> b.volumeIds(t.id())
                        .overrideConfiguration(ctx.budget::apply)), "InvalidVolume.NotFound")
                        .orElseThrow(() -> new Unavailable("the volume " + t.id() + " does not exist", "ec2:DescribeVolumes"));
                yield ctx.value(kind, r.volumes().stream().anyMatch(v -> Boolean.TRUE.equals(v.encrypted())), "ec2:DescribeVolumes");
            }
            case SHARES -> shares(ctx, ec2);
            default -> throw new Unavailable("not answered by " + id(), "");
        };
    }

    private Observed imds(Ctx ctx, Ec2Client ec2) {
        AwsTarget t = ctx.target;
        List<String> instances = new ArrayList<>();
        String api = "cloudwatch:GetMetricData";
        if (t.type() == AwsTarget.Type.EC2_INSTANCE) {
            instances.add(t.id());
        } else if (t.type() == AwsTarget.Type.LAUNCH_TEMPLATE) {
            String token = null;
            do {
                String tk = token;
                DescribeInstancesResponse r = ctx.call("ec2:DescribeInstances", () -> ec2.describeInstances(b -> b
                        .filters(Filter.builder().name("tag:aws:ec2launchtemplate:id").values(t.id()).build())
                        .maxResults(1000).nextToken(tk).overrideConfiguration(ctx.budget::apply)));
                for (Reservation res : r.reservations()) {
                    for (Instance i : res.instances()) {
                        instances.add(i.instanceId());
                    }
                }
                token = r.nextToken();
            } while (token != null && !token.isEmpty());
            api = "ec2:DescribeInstances, cloudwatch:GetMetricData";
            if (instances.isEmpty()) {
                throw new Unavailable("no instance was launched from the launch template " + t.id(), "ec2:DescribeInstances");
            }
        } else {
            throw new Unavailable("only for an instance or a launch template", "");
        }
        Instant end = ctx.now();
        Instant start = end.minus(Duration.ofDays(14));
        var cw = clients.cloudWatch(ctx.account(), ctx.region());
        double sum = 0;
        int points = 0;
        for (int from = 0; from < instances.size(); from += 500) {
            List<MetricDataQuery> queries = new ArrayList<>();
            for (int i = from; i < Math.min(instances.size(), from + 500); i++) {
                String id = instances.get(i);
                queries.add(MetricDataQuery.builder().id("i" + i).metricStat(ms -> ms.period(86_400).stat("Sum")
                        .metric(m -> m.namespace("AWS/EC2").metricName("MetadataNoToken")
                                .dimensions(d -> d.name("InstanceId").value(id)))).build());
            }
            String token = null;
            do {
                String tk = token;
                GetMetricDataResponse r = ctx.call("cloudwatch:GetMetricData", () -> cw.getMetricData(b -> b
                        .startTime(start).endTime(end).metricDataQueries(queries).nextToken(tk)
                        .overrideConfiguration(ctx.budget::apply)));
                for (MetricDataResult res : r.metricDataResults()) {
                    for (Double v : res.values()) {
                        sum += v;
                        points++;
                    }
                }
                token = r.nextToken();
            } while (token != null && !token.isEmpty());
        }
        if (points == 0) {
            throw new Unavailable("no MetadataNoToken datapoints in 14 days: the instance did not run, or the metric is"
                    + " not published", "cloudwatch:GetMetricData");
        }
        return ctx.value(IMDS, Math.round(sum), api);
    }

    static Optional<Snapshot> snapshot(Ctx ctx, String region, String id) {
        Ec2Client ec2 = ctx.clients().ec2(ctx.account(), region);
        return ctx.optional("ec2:DescribeSnapshots", () -> ec2.describeSnapshots(b -> b.snapshotIds(id)
                        .overrideConfiguration(ctx.budget::apply)), "InvalidSnapshot.NotFound")
                .flatMap(r -> r.snapshots().stream().findFirst());
    }

    static boolean image(Ctx ctx, String region, String id) {
        Ec2Client ec2 = ctx.clients().ec2(ctx.account(), region);
        return ctx.optional("ec2:DescribeImages", () -> ec2.describeImages(b -> b.imageIds(id)
                        .overrideConfiguration(ctx.budget::apply)), "InvalidAMIID.NotFound", "InvalidAMIID.Unavailable")
                .map(r -> !r.images().isEmpty()).orElse(false);
    }

    private Observed sourceExists(Ctx ctx) {
        String source = ctx.hint("source_snapshot_id");
        if (source.isEmpty()) {
            source = ctx.hint("source_ami_id");
        }
        String region = ctx.hint("source_region").isEmpty() ? ctx.region() : ctx.hint("source_region");
        String api = "";
        if (source.isEmpty() && ctx.target.type() == AwsTarget.Type.EBS_SNAPSHOT) {
            Snapshot copy = snapshot(ctx, ctx.region(), ctx.target.id())
                    .orElseThrow(() -> new Unavailable("the snapshot " + ctx.target.id() + " does not exist", "ec2:DescribeSnapshots"));
            String d = copy.description() == null ? "" : copy.description();
            Matcher ami = AMI.matcher(d);
            Matcher snap = SNAP.matcher(d);
            if (ami.find()) {
                source = ami.group(1);
            } else if (snap.find()) {
                source = snap.group(1);
            }
            Matcher from = FROM_REGION.matcher(d);
            if (from.find()) {
                region = from.group(1);
            }
            api = "ec2:DescribeSnapshots, ";
        }
        if (source.isEmpty()) {
            throw new Unavailable("the copy's source is not known: give it as the hint source_snapshot_id or source_ami_id",
                    api.isEmpty() ? "" : "ec2:DescribeSnapshots");
        }
        boolean exists = source.startsWith("ami-") ? image(ctx, region, source) : snapshot(ctx, region, source).isPresent();
        return ctx.value(SNAP_SOURCE, exists, api + (source.startsWith("ami-") ? "ec2:DescribeImages" : "ec2:DescribeSnapshots"));
    }

    private Observed shares(Ctx ctx, Ec2Client ec2) {
        long limit = clients.option("ebs.max_snapshots", 2_000);
        long shared = 0;
        long seen = 0;
        String token = null;
        do {
            String tk = token;
            DescribeSnapshotsResponse r = ctx.call("ec2:DescribeSnapshots", () -> ec2.describeSnapshots(b -> b.ownerIds("self")
                    .maxResults(1000).nextToken(tk).overrideConfiguration(ctx.budget::apply)));
            for (Snapshot s : r.snapshots()) {
                if (++seen > limit) {
                    throw new Unavailable("more than " + limit + " snapshots to check (ebs.max_snapshots)",
                            "ec2:DescribeSnapshotAttribute");
                }
                var attr = ctx.call("ec2:DescribeSnapshotAttribute", () -> ec2.describeSnapshotAttribute(b -> b
                        .snapshotId(s.snapshotId()).attribute(SnapshotAttributeName.CREATE_VOLUME_PERMISSION)
                        .overrideConfiguration(ctx.budget::apply)));
                for (CreateVolumePermission p : attr.createVolumePermissions()) {
                    if ("all".equals(p.groupAsString()) || p.userId() != null && !p.userId().equals(ctx.account())) {
                        shared++;
                        break;
                    }
                }
            }
            token = r.nextToken();
        } while (token != null && !token.isEmpty());
        return ctx.value(SHARES, shared, "ec2:DescribeSnapshots, ec2:DescribeSnapshotAttribute");
    }
}
