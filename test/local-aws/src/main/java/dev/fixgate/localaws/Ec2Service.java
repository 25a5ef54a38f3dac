package dev.fixgate.localaws;

import dev.fixgate.localaws.LocalAws.Request;
import dev.fixgate.localaws.Wire.AwsError;
import dev.fixgate.localaws.Wire.Reply;
import dev.fixgate.localaws.Wire.Xml;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/** EC2 (the EC2 query protocol: form parameters in, XML with {@code item} lists out). */
final class Ec2Service {

    private static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private final LocalAws aws;

    Ec2Service(LocalAws aws) {
        this.aws = aws;
    }

    Reply handle(String op, Request req, Map<String, String> p) {
        Model.Region r = aws.account(req.account()).region(req.region());
        Map<String, List<String>> filters = Wire.filters(p);
        return switch (op) {
            case "DescribeNetworkInterfaces" -> {
                List<String> ids = Wire.members(p, "NetworkInterfaceId");
                List<Model.NetworkInterface> all = r.networkInterfaces.stream()
                        .filter(n -> ids.isEmpty() || ids.contains(n.id))
                        .filter(n -> matches(filters, "group-id", n.groups::contains))
                        .filter(n -> matches(filters, "vpc-id", n.vpcId::equals))
                        .filter(n -> matches(filters, "requester-id", n.requesterId::equals))
                        .filter(n -> matches(filters, "attachment.instance-id", n.instanceId::equals))
                        .filter(n -> matches(filters, "addresses.private-ip-address", n.privateIp::equals))
                        .toList();
                yield paged(op, req, p, all, "networkInterfaceSet", (x, n) -> {
                    x.leaf("networkInterfaceId", n.id).leaf("subnetId", n.subnetId).leaf("vpcId", n.vpcId)
                            .leaf("description", n.description).leaf("ownerId", req.account())
                            .leaf("requesterId", n.requesterId.isEmpty() ? null : n.requesterId)
                            .leaf("requesterManaged", !n.requesterId.isEmpty()).leaf("status", "in-use")
                            .leaf("privateIpAddress", n.privateIp).leaf("interfaceType", n.interfaceType);
                    x.open("groupSet");
                    for (String g : n.groups) {
                        x.open("item").leaf("groupId", g).leaf("groupName", groupName(r, g)).close();
                    }
                    x.close();
                    if (!n.instanceId.isEmpty()) {
                        x.open("attachment").leaf("attachmentId", "eni-attach-" + n.id.substring(4))
                                .leaf("instanceId", n.instanceId).leaf("deviceIndex", 0).leaf("status", "attached").close();
                    }
                });
            }
            case "DescribeInstances" -> {
                List<String> ids = Wire.members(p, "InstanceId");
                notFound(ids, r.instances, i -> i.id, "InvalidInstanceID.NotFound", "The instance ID '%s' does not exist");
                List<Model.Instance> all = r.instances.stream().filter(i -> ids.isEmpty() || ids.contains(i.id))
                        .filter(i -> matches(filters, "instance-id", i.id::equals))
                        .filter(i -> matches(filters, "tag:aws:ec2launchtemplate:id", i.launchTemplateId::equals))
                        .filter(i -> matches(filters, "instance-state-name", i.state::equals))
                        .toList();
                yield paged(op, req, p, all, "reservationSet", (x, i) -> {
                    x.leaf("reservationId", "r-" + i.id.substring(2)).leaf("ownerId", req.account()).open("instancesSet")
                            .open("item").leaf("instanceId", i.id).leaf("imageId", "ami-local")
                            .open("instanceState").leaf("code", i.state.equals("running") ? 16 : 80).leaf("name", i.state).close()
                            .leaf("instanceType", "t3.micro").leaf("vpcId", i.vpcId)
                            .open("metadataOptions").leaf("state", "applied").leaf("httpTokens", i.httpTokens)
                            .leaf("httpEndpoint", "enabled").close();
                    tags(x, i.tags);
                    x.close().close();
                });
            }
            case "DescribeSecurityGroups" -> {
                List<String> ids = Wire.members(p, "GroupId");
                notFound(ids, r.securityGroups, g -> g.id, "InvalidGroup.NotFound", "The security group '%s' does not exist");
                List<Model.SecurityGroup> all = r.securityGroups.stream().filter(g -> ids.isEmpty() || ids.contains(g.id)).toList();
                yield paged(op, req, p, all, "securityGroupInfo", (x, g) -> {
                    x.leaf("ownerId", req.account()).leaf("groupId", g.id).leaf("groupName", g.name).leaf("vpcId", g.vpcId);
                    tags(x, g.tags);
                });
            }
            case "DescribeVolumes" -> {
                List<String> ids = Wire.members(p, "VolumeId");
                notFound(ids, r.volumes, v -> v.id, "InvalidVolume.NotFound", "The volume '%s' does not exist.");
                List<Model.Volume> all = r.volumes.stream().filter(v -> ids.isEmpty() || ids.contains(v.id)).toList();
                yield paged(op, req, p, all, "volumeSet", (x, v) -> {
                    x.leaf("volumeId", v.id).leaf("size", v.sizeGiB).leaf("status", "in-use").leaf("encrypted", v.encrypted)
                            .leaf("volumeType", "gp3");
                    tags(x, v.tags);
                });
            }
            case "DescribeSnapshots" -> {
                List<String> ids = Wire.members(p, "SnapshotId");
                List<String> owners = Wire.members(p, "Owner");
                notFound(ids, r.snapshots, s -> s.id, "InvalidSnapshot.NotFound", "The snapshot '%s' does not exist.");
                List<Model.Snapshot> all = r.snapshots.stream().filter(s -> ids.isEmpty() || ids.contains(s.id))
                        .filter(s -> owners.isEmpty() || owners.contains("self") && owner(s, req).equals(req.account())
                                || owners.contains(owner(s, req)))
                        .toList();
                yield paged(op, req, p, all, "snapshotSet", (x, s) -> {
                    x.leaf("snapshotId", s.id).leaf("volumeId", s.volumeId).leaf("status", "completed")
                            .leaf("ownerId", owner(s, req)).leaf("description", s.description).leaf("encrypted", s.encrypted)
                            .leaf("volumeSize", 8).leaf("startTime", Wire.iso(aws.time("-30d")));
                    tags(x, s.tags);
                });
            }
            case "DescribeSnapshotAttribute" -> {
                String id = p.getOrDefault("SnapshotId", "");
                Model.Snapshot s = r.snapshots.stream().filter(x -> x.id.equals(id)).findFirst()
                        .orElseThrow(() -> new AwsError(400, "InvalidSnapshot.NotFound", "The snapshot '" + id + "' does not exist."));
                Xml x = new Xml().open(op + "Response", NS).leaf("requestId", requestId()).leaf("snapshotId", s.id)
                        .open("createVolumePermission");
                for (String who : s.sharedWith) {
                    x.open("item");
                    if (who.equals("all")) {
                        x.leaf("group", "all");
                    } else {
                        x.leaf("userId", who);
                    }
                    x.close();
                }
                yield Reply.xml(x.toString());
            }
            case "DescribeImages" -> {
                List<String> ids = Wire.members(p, "ImageId");
                notFound(ids, r.images, i -> i.id, "InvalidAMIID.NotFound", "The image id '[%s]' does not exist");
                List<Model.Image> all = r.images.stream().filter(i -> ids.isEmpty() || ids.contains(i.id)).toList();
                Xml x = new Xml().open(op + "Response", NS).leaf("requestId", requestId()).open("imagesSet");
                for (Model.Image i : all) {
                    x.open("item").leaf("imageId", i.id).leaf("name", i.name).leaf("imageState", "available").close();
                }
                yield Reply.xml(x.toString());
            }
            case "DescribeVpcs" -> {
                List<String> ids = Wire.members(p, "VpcId");
                notFound(ids, r.vpcs, v -> v.id, "InvalidVpcID.NotFound", "The vpc ID '%s' does not exist");
                List<Model.Vpc> all = r.vpcs.stream().filter(v -> ids.isEmpty() || ids.contains(v.id)).toList();
                yield paged(op, req, p, all, "vpcSet", (x, v) -> {
                    x.leaf("vpcId", v.id).leaf("state", "available").leaf("cidrBlock", v.cidr).leaf("ownerId", req.account());
                    tags(x, v.tags);
                });
            }
            case "DescribeFlowLogs" -> {
                List<Model.FlowLog> all = r.flowLogs.stream()
                        .filter(f -> matches(filters, "resource-id", f.resourceId::equals)).toList();
                yield paged(op, req, p, all, "flowLogSet", (x, f) -> x.leaf("flowLogId", f.id).leaf("resourceId", f.resourceId)
                        .leaf("logDestinationType", f.destinationType)
                        .leaf("logGroupName", f.logGroupName.isEmpty() ? null : f.logGroupName)
                        .leaf("logDestination", f.destination.isEmpty() ? null : f.destination)
                        .leaf("flowLogStatus", "ACTIVE").leaf("deliverLogsStatus", "SUCCESS").leaf("trafficType", "ALL"));
            }
            case "DescribeTags" -> {
                List<String[]> rows = new ArrayList<>();
                List<String> ids = filters.getOrDefault("resource-id", List.of());
                r.instances.forEach(i -> i.tags.forEach((k, v) -> rows.add(new String[] {i.id, "instance", k, v})));
                r.securityGroups.forEach(g -> g.tags.forEach((k, v) -> rows.add(new String[] {g.id, "security-group", k, v})));
                r.volumes.forEach(o -> o.tags.forEach((k, v) -> rows.add(new String[] {o.id, "volume", k, v})));
                r.snapshots.forEach(o -> o.tags.forEach((k, v) -> rows.add(new String[] {o.id, "snapshot", k, v})));
                r.vpcs.forEach(o -> o.tags.forEach((k, v) -> rows.add(new String[] {o.id, "vpc", k, v})));
                List<String[]> all = rows.stream().filter(t -> ids.isEmpty() || ids.contains(t[0])).toList();
                yield paged(op, req, p, all, "tagSet", (x, t) -> x.leaf("resourceId", t[0]).leaf("resourceType", t[1])
                        .leaf("key", t[2]).leaf("value", t[3]));
            }
            default -> throw new AwsError(400, "InvalidAction", "The action " + op + " is not valid for this web service.");
        };
    }

    private static String owner(Model.Snapshot s, Request req) {
        return s.ownerId.isEmpty() ? req.account() : s.ownerId;
    }

    private static String groupName(Model.Region r, String id) {
        return r.securityGroups.stream().filter(g -> g.id.equals(id)).map(g -> g.name).findFirst().orElse(id);
    }

    private static boolean matches(Map<String, List<String>> filters, String name, Predicate<String> test) {
        List<String> values = filters.get(name);
        return values == null || values.stream().anyMatch(test);
    }

    private static <T> void notFound(List<String> ids, List<T> items, Function<T, String> id, String code, String message) {
        for (String want : ids) {
            if (items.stream().noneMatch(i -> id.apply(i).equals(want))) {
                throw new AwsError(400, code, String.format(message, want));
            }
        }
    }

    private static void tags(Xml x, Map<String, String> tags) {
        if (tags.isEmpty()) {
            return;
        }
        x.open("tagSet");
        tags.forEach((k, v) -> x.open("item").leaf("key", k).leaf("value", v).close());
        x.close();
    }

    private static String requestId() {
        return "local-" + Long.toHexString(System.nanoTime());
    }

    private <T> Reply paged(String op, Request req, Map<String, String> p, List<T> all, String set,
                            java.util.function.BiConsumer<Xml, T> item) {
        int size = aws.pageSize("ec2", op, Wire.intParam(p, "MaxResults", 1000), 1000);
        var page = Wire.page(all, p.get("NextToken"), size);
        Xml x = new Xml().open(op + "Response", NS).leaf("requestId", requestId()).open(set);
        for (T t : page.items()) {
            x.open("item");
            item.accept(x, t);
            x.close();
        }
        x.close();
        if (page.next() != null) {
            x.leaf("nextToken", page.next());
        }
        return Reply.xml(x.toString());
    }
}
