package dev.fixgate.localaws;

import dev.fixgate.localaws.LocalAws.Request;
import dev.fixgate.localaws.Wire.AwsError;
import dev.fixgate.localaws.Wire.Reply;
import dev.fixgate.localaws.Wire.Xml;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** The query-protocol services (form parameters in, {@code <XResponse><XResult>} XML out): IAM, STS, RDS, ELBv2, Redshift, SNS. */
final class QueryServices {

    private final LocalAws aws;

    QueryServices(LocalAws aws) {
        this.aws = aws;
    }

    Reply handle(String op, Request req, Map<String, String> p) {
        return switch (req.service()) {
            case "iam" -> iam(op, req, p);
            case "sts" -> sts(op, req, p);
            case "rds" -> rds(op, req, p);
            case "elasticloadbalancing" -> elb(op, req, p);
            case "redshift" -> redshift(op, req, p);
            case "sns" -> sns(op, req, p);
            default -> throw new AwsError(400, "InvalidAction", op);
        };
    }

    private static Xml result(String op, String ns) {
        return new Xml().open(op + "Response", ns).open(op + "Result");
    }

    private static Reply done(Xml x) {
        x.close().open("ResponseMetadata").leaf("RequestId", "local-" + Long.toHexString(System.nanoTime())).close();
        return Reply.xml(x.toString());
    }

    // ---- IAM -----------------------------------------------------------------------------------------------------

    private static final String IAM = "https://iam.amazonaws.com/doc/2010-05-08/";

    private Reply iam(String op, Request req, Map<String, String> p) {
        Model.Account a = aws.account(req.account());
        switch (op) {
            case "ListUsers" -> {
                int size = aws.pageSize("iam", op, Wire.intParam(p, "MaxItems", 100), 100);
                var page = Wire.page(a.iamUsers, p.get("Marker"), size);
                Xml x = result(op, IAM).open("Users");
                for (Model.IamUser u : page.items()) {
                    x.open("member").leaf("Path", "/").leaf("UserName", u.name).leaf("UserId", "AIDA" + u.name.toUpperCase())
                            .leaf("Arn", "arn:aws:iam::" + a.id + ":user/" + u.name)
                            .leaf("CreateDate", Wire.iso(aws.time("-400d")));
                    if (!u.passwordLastUsed.isEmpty()) {
                        x.leaf("PasswordLastUsed", Wire.iso(aws.time(u.passwordLastUsed)));
                    }
                    x.close();
                }
                x.close().leaf("IsTruncated", page.next() != null);
                if (page.next() != null) {
                    x.leaf("Marker", page.next());
                }
                return done(x);
            }
            case "GetLoginProfile" -> {
                Model.IamUser u = user(a, p.get("UserName"));
                if (!u.consolePassword) {
                    throw new AwsError(404, "NoSuchEntity", "Login Profile for User " + u.name + " cannot be found.");
                }
                return done(result(op, IAM).open("LoginProfile").leaf("UserName", u.name)
                        .leaf("CreateDate", Wire.iso(aws.time("-300d"))).leaf("PasswordResetRequired", false).close());
            }
            case "ListUserTags" -> {
                return done(tags(result(op, IAM), user(a, p.get("UserName")).tags).leaf("IsTruncated", false));
            }
            case "GetRole", "ListRoleTags" -> {
                String name = p.getOrDefault("RoleName", "");
                Model.Role r = a.roles.stream().filter(x -> x.name.equals(name)).findFirst()
                        .orElseThrow(() -> new AwsError(404, "NoSuchEntity", "The role with name " + name + " cannot be found."));
                if (op.equals("ListRoleTags")) {
                    return done(tags(result(op, IAM), r.tags).leaf("IsTruncated", false));
                }
                Xml x = result(op, IAM).open("Role").leaf("Path", "/").leaf("RoleName", r.name).leaf("RoleId", "AROA" + r.name.length())
                        .leaf("Arn", "arn:aws:iam::" + a.id + ":role/" + r.name).leaf("CreateDate", Wire.iso(aws.time("-400d")))
                        .leaf("AssumeRolePolicyDocument", "%7B%7D");
                if (!r.permissionsBoundary.isEmpty()) {
                    x.open("PermissionsBoundary").leaf("PermissionsBoundaryType", "PermissionsBoundaryPolicy")
                            .leaf("PermissionsBoundaryArn", r.permissionsBoundary).close();
                }
                if (!r.lastUsed.isEmpty()) {
                    x.open("RoleLastUsed").leaf("LastUsedDate", Wire.iso(aws.time(r.lastUsed))).leaf("Region", "us-east-1").close();
                }
                tagsMembers(x, r.tags);
                return done(x.close());
            }
            case "ListAttachedRolePolicies" -> {
                Model.Role r = role(a, p.get("RoleName"));
                int size = aws.pageSize("iam", op, Wire.intParam(p, "MaxItems", 100), 100);
                var page = Wire.page(r.attachedPolicies, p.get("Marker"), size);
                Xml x = result(op, IAM).open("AttachedPolicies");
                for (String arn : page.items()) {
                    x.open("member").leaf("PolicyName", arn.substring(arn.lastIndexOf('/') + 1)).leaf("PolicyArn", arn).close();
                }
                x.close().leaf("IsTruncated", page.next() != null);
                if (page.next() != null) {
                    x.leaf("Marker", page.next());
                }
                return done(x);
            }
            case "ListRolePolicies" -> {
                Model.Role r = role(a, p.get("RoleName"));
                int size = aws.pageSize("iam", op, Wire.intParam(p, "MaxItems", 100), 100);
                var page = Wire.page(List.copyOf(r.inlinePolicies.keySet()), p.get("Marker"), size);
                Xml x = result(op, IAM).open("PolicyNames");
                page.items().forEach(n -> x.leaf("member", n));
                x.close().leaf("IsTruncated", page.next() != null);
                if (page.next() != null) {
                    x.leaf("Marker", page.next());
                }
                return done(x);
            }
            case "GetRolePolicy" -> {
                Model.Role r = role(a, p.get("RoleName"));
                String name = p.getOrDefault("PolicyName", "");
                String doc = r.inlinePolicies.get(name);
                if (doc == null) {
                    throw new AwsError(404, "NoSuchEntity", "The role policy with name " + name + " cannot be found.");
                }
                return done(result(op, IAM).leaf("RoleName", r.name).leaf("PolicyName", name)
                        .leaf("PolicyDocument", urlEncoded(doc)));
            }
            case "GetPolicy" -> {
                String arn = p.getOrDefault("PolicyArn", "");
                policy(a, arn);
                return done(result(op, IAM).open("Policy").leaf("PolicyName", arn.substring(arn.lastIndexOf('/') + 1))
                        .leaf("DefaultVersionId", "v1").leaf("PolicyId", "ANPA" + Integer.toHexString(arn.hashCode()).toUpperCase())
                        .leaf("Path", arn.contains(":policy/service-role/") ? "/service-role/" : "/").leaf("Arn", arn)
                        .leaf("AttachmentCount", 1).leaf("PermissionsBoundaryUsageCount", 0).leaf("IsAttachable", true)
                        .leaf("CreateDate", Wire.iso(aws.time("-400d"))).leaf("UpdateDate", Wire.iso(aws.time("-400d"))).close());
            }
            case "GetPolicyVersion" -> {
                String arn = p.getOrDefault("PolicyArn", "");
                String doc = policy(a, arn);
                String version = p.getOrDefault("VersionId", "");
                if (!version.equals("v1")) {
                    throw new AwsError(404, "NoSuchEntity", "Policy " + arn + " version " + version + " does not exist or is not attachable.");
                }
                return done(result(op, IAM).open("PolicyVersion").leaf("Document", urlEncoded(doc)).leaf("VersionId", "v1")
                        .leaf("IsDefaultVersion", true).leaf("CreateDate", Wire.iso(aws.time("-400d"))).close());
            }
            default -> throw new AwsError(400, "InvalidAction", "Could not find operation " + op);
        }
    }

    /** AWS managed policies local AWS knows, with their documents as AWS publishes them. */
    static final Map<String, String> AWS_MANAGED = Map.of(
            "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"xray:PutTraceSegments\","
                    + "\"xray:PutTelemetryRecords\",\"xray:GetSamplingRules\",\"xray:GetSamplingTargets\","
                    + "\"xray:GetSamplingStatisticSummaries\"],\"Resource\":[\"*\"]}]}",
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"logs:CreateLogGroup\","
                    + "\"logs:CreateLogStream\",\"logs:PutLogEvents\"],\"Resource\":\"*\"}]}",
            "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
            "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"xray:PutTraceSegments\","
                    + "\"xray:PutTelemetryRecords\",\"xray:GetSamplingRules\",\"xray:GetSamplingTargets\","
                    + "\"xray:GetSamplingStatisticSummaries\"],\"Resource\":[\"*\"]}]}");

    private static String policy(Model.Account a, String arn) {
        String doc = a.policies.getOrDefault(arn, AWS_MANAGED.get(arn));
        if (doc == null) {
            throw new AwsError(404, "NoSuchEntity", "Policy " + arn + " does not exist or is not attachable.");
        }
        return doc;
    }

    /** IAM returns policy documents URL-encoded (RFC 3986). */
    private static String urlEncoded(String doc) {
        return java.net.URLEncoder.encode(doc, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Model.Role role(Model.Account a, String name) {
        return a.roles.stream().filter(x -> x.name.equals(name)).findFirst()
                .orElseThrow(() -> new AwsError(404, "NoSuchEntity", "The role with name " + name + " cannot be found."));
    }

    private static Model.IamUser user(Model.Account a, String name) {
        return a.iamUsers.stream().filter(u -> u.name.equals(name)).findFirst()
                .orElseThrow(() -> new AwsError(404, "NoSuchEntity", "The user with name " + name + " cannot be found."));
    }

    private static Xml tags(Xml x, Map<String, String> tags) {
        x.open("Tags");
        tags.forEach((k, v) -> x.open("member").leaf("Key", k).leaf("Value", v).close());
        return x.close();
    }

    private static void tagsMembers(Xml x, Map<String, String> tags) {
        if (!tags.isEmpty()) {
            tags(x, tags);
        }
    }

    // ---- STS -----------------------------------------------------------------------------------------------------

    private static final String STS = "https://sts.amazonaws.com/doc/2011-06-15/";

    private Reply sts(String op, Request req, Map<String, String> p) {
        switch (op) {
            case "GetCallerIdentity" -> {
                return done(result(op, STS).leaf("Arn", "arn:aws:iam::" + req.account() + ":user/local")
                        .leaf("UserId", "AIDALOCAL").leaf("Account", req.account()));
            }
            case "AssumeRole" -> {
                String roleArn = p.getOrDefault("RoleArn", "");
                String[] parts = roleArn.split(":");
                String deny = "User: arn:aws:iam::" + req.account() + ":user/local is not authorized to perform:"
                        + " sts:AssumeRole on resource: " + roleArn;
                if (parts.length < 6 || !parts[5].startsWith("role/")) {
                    throw new AwsError(400, "ValidationError", "RoleArn is not a role ARN: " + roleArn);
                }
                String account = parts[4];
                String name = parts[5].substring(parts[5].lastIndexOf('/') + 1);
                Model.Role role = aws.account(account).roles.stream().filter(r -> r.name.equals(name)).findFirst()
                        .orElseThrow(() -> new AwsError(403, "AccessDenied", deny));
                if (!role.externalId.equals(p.getOrDefault("ExternalId", ""))) {
                    throw new AwsError(403, "AccessDenied", deny);
                }
                String session = p.getOrDefault("RoleSessionName", "session");
                String key = aws.issueSession(account);
                return done(result(op, STS).open("Credentials").leaf("AccessKeyId", key)
                        .leaf("SecretAccessKey", LocalAws.SECRET).leaf("SessionToken", "local-session-token-" + key)
                        .leaf("Expiration", Wire.iso(aws.now().plusSeconds(3600))).close()
                        .open("AssumedRoleUser").leaf("AssumedRoleId", "AROALOCAL:" + session)
                        .leaf("Arn", "arn:aws:sts::" + account + ":assumed-role/" + name + "/" + session).close());
            }
            default -> throw new AwsError(400, "InvalidAction", "Could not find operation " + op);
        }
    }

    // ---- RDS -----------------------------------------------------------------------------------------------------

    private static final String RDS = "http://rds.amazonaws.com/doc/2014-10-31/";

    private Reply rds(String op, Request req, Map<String, String> p) {
        Model.Region r = aws.account(req.account()).region(req.region());
        String prefix = "arn:aws:rds:" + req.region() + ":" + req.account() + ":";
        switch (op) {
            case "DescribeDBInstances" -> {
                String id = p.getOrDefault("DBInstanceIdentifier", "");
                String want = id.startsWith("arn:") ? id.substring(id.lastIndexOf(':') + 1) : id;
                List<Model.DbInstance> all = r.dbInstances.stream().filter(d -> want.isEmpty() || d.id.equals(want)).toList();
                if (!want.isEmpty() && all.isEmpty()) {
                    throw new AwsError(404, "DBInstanceNotFound", "DBInstance " + want + " not found.");
                }
                return rdsPage(op, p, all, "DBInstances", "DBInstance", (x, d) -> {
                    x.leaf("DBInstanceIdentifier", d.id).leaf("DBInstanceArn", prefix + "db:" + d.id).leaf("Engine", d.engine)
                            .leaf("DBInstanceStatus", "available").leaf("BackupRetentionPeriod", d.backupRetentionDays)
                            .leaf("PubliclyAccessible", d.publiclyAccessible).leaf("StorageEncrypted", d.storageEncrypted)
                            .leaf("DBClusterIdentifier", d.clusterId.isEmpty() ? null : d.clusterId)
                            .open("Endpoint").leaf("Address", d.id + ".local.rds.amazonaws.com").leaf("Port", d.port).close()
                            .open("DBSubnetGroup").leaf("DBSubnetGroupName", "default").leaf("VpcId", d.vpcId).close()
                            .open("VpcSecurityGroups");
                    for (String g : d.securityGroups) {
                        x.open("VpcSecurityGroupMembership").leaf("VpcSecurityGroupId", g).leaf("Status", "active").close();
                    }
                    x.close();
                    rdsTags(x, d.tags);
                });
            }
            case "DescribeDBClusters" -> {
                String id = p.getOrDefault("DBClusterIdentifier", "");
                String want = id.startsWith("arn:") ? id.substring(id.lastIndexOf(':') + 1) : id;
                List<Model.DbCluster> all = r.dbClusters.stream().filter(d -> want.isEmpty() || d.id.equals(want)).toList();
                if (!want.isEmpty() && all.isEmpty()) {
                    throw new AwsError(404, "DBClusterNotFoundFault", "DBCluster " + want + " not found.");
                }
                return rdsPage(op, p, all, "DBClusters", "DBCluster", (x, d) -> {
                    x.leaf("DBClusterIdentifier", d.id).leaf("DBClusterArn", prefix + "cluster:" + d.id).leaf("Engine", d.engine)
                            .leaf("Status", "available").leaf("BackupRetentionPeriod", d.backupRetentionDays);
                    rdsTags(x, d.tags);
                });
            }
            case "ListTagsForResource" -> {
                String arn = p.getOrDefault("ResourceName", "");
                String name = arn.substring(arn.lastIndexOf(':') + 1);
                Map<String, String> tags = arn.contains(":cluster:")
                        ? r.dbClusters.stream().filter(d -> d.id.equals(name)).map(d -> d.tags).findFirst()
                        .orElseThrow(() -> new AwsError(404, "DBClusterNotFoundFault", "DBCluster " + name + " not found."))
                        : r.dbInstances.stream().filter(d -> d.id.equals(name)).map(d -> d.tags).findFirst()
                        .orElseThrow(() -> new AwsError(404, "DBInstanceNotFound", "DBInstance " + name + " not found."));
                Xml x = result(op, RDS);
                rdsTags(x, tags);
                return done(x);
            }
            default -> throw new AwsError(400, "InvalidAction", "Could not find operation " + op);
        }
    }

    private static void rdsTags(Xml x, Map<String, String> tags) {
        x.open("TagList");
        tags.forEach((k, v) -> x.open("Tag").leaf("Key", k).leaf("Value", v).close());
        x.close();
    }

    private <T> Reply rdsPage(String op, Map<String, String> p, List<T> all, String set, String member,
                              BiConsumer<Xml, T> item) {
        int size = aws.pageSize("rds", op, Wire.intParam(p, "MaxRecords", 100), 100);
        var page = Wire.page(all, p.get("Marker"), size);
        Xml x = result(op, RDS).open(set);
        for (T t : page.items()) {
            x.open(member);
            item.accept(x, t);
            x.close();
        }
        x.close();
        if (page.next() != null) {
            x.leaf("Marker", page.next());
        }
        return done(x);
    }

    // ---- ELBv2 ---------------------------------------------------------------------------------------------------

    private static final String ELB = "http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/";

    static String lbArn(String region, String account, Model.LoadBalancer lb) {
        return "arn:aws:elasticloadbalancing:" + region + ":" + account + ":loadbalancer/"
                + (lb.type.equals("network") ? "net" : "app") + "/" + lb.name + "/"
                + String.format("%016x", (long) lb.name.hashCode() & 0xffffffffL);
    }

    private Reply elb(String op, Request req, Map<String, String> p) {
        Model.Region r = aws.account(req.account()).region(req.region());
        switch (op) {
            case "DescribeLoadBalancers" -> {
                List<String> arns = Wire.members(p, "LoadBalancerArns.member");
                List<String> names = Wire.members(p, "Names.member");
                List<Model.LoadBalancer> all = r.loadBalancers.stream()
                        .filter(lb -> arns.isEmpty() || arns.contains(lbArn(req.region(), req.account(), lb)))
                        .filter(lb -> names.isEmpty() || names.contains(lb.name)).toList();
                if ((!arns.isEmpty() || !names.isEmpty()) && all.isEmpty()) {
                    throw new AwsError(400, "LoadBalancerNotFound", "One or more load balancers not found");
                }
                int size = aws.pageSize("elasticloadbalancing", op, Wire.intParam(p, "PageSize", 400), 400);
                var page = Wire.page(all, p.get("Marker"), size);
                Xml x = result(op, ELB).open("LoadBalancers");
                for (Model.LoadBalancer lb : page.items()) {
                    x.open("member").leaf("LoadBalancerArn", lbArn(req.region(), req.account(), lb))
                            .leaf("LoadBalancerName", lb.name).leaf("Type", lb.type).leaf("Scheme", "internet-facing")
                            .leaf("VpcId", lb.vpcId).open("State").leaf("Code", "active").close().close();
                }
                x.close();
                if (page.next() != null) {
                    x.leaf("NextMarker", page.next());
                }
                return done(x);
            }
            case "DescribeListeners" -> {
                Model.LoadBalancer lb = lb(r, req, p.getOrDefault("LoadBalancerArn", ""));
                String arn = lbArn(req.region(), req.account(), lb);
                int size = aws.pageSize("elasticloadbalancing", op, Wire.intParam(p, "PageSize", 400), 400);
                var page = Wire.page(lb.listeners, p.get("Marker"), size);
                Xml x = result(op, ELB).open("Listeners");
                for (Model.Listener l : page.items()) {
                    x.open("member").leaf("ListenerArn", arn.replace(":loadbalancer/", ":listener/") + "/" + l.port)
                            .leaf("LoadBalancerArn", arn).leaf("Port", l.port).leaf("Protocol", l.protocol).close();
                }
                x.close();
                if (page.next() != null) {
                    x.leaf("NextMarker", page.next());
                }
                return done(x);
            }
            case "DescribeLoadBalancerAttributes" -> {
                Model.LoadBalancer lb = lb(r, req, p.getOrDefault("LoadBalancerArn", ""));
                Xml x = result(op, ELB).open("Attributes");
                x.open("member").leaf("Key", "access_logs.s3.enabled").leaf("Value", lb.accessLogsEnabled).close();
                x.open("member").leaf("Key", "access_logs.s3.bucket").leaf("Value", lb.accessLogsBucket).close();
                x.open("member").leaf("Key", "access_logs.s3.prefix").leaf("Value", lb.accessLogsPrefix).close();
                x.open("member").leaf("Key", "deletion_protection.enabled").leaf("Value", false).close();
                return done(x.close());
            }
            case "DescribeTags" -> {
                Xml x = result(op, ELB).open("TagDescriptions");
                for (String arn : Wire.members(p, "ResourceArns.member")) {
                    Model.LoadBalancer lb = lb(r, req, arn);
                    x.open("member").leaf("ResourceArn", arn);
                    tags(x, lb.tags);
                    x.close();
                }
                return done(x.close());
            }
            default -> throw new AwsError(400, "InvalidAction", "Could not find operation " + op);
        }
    }

    private static Model.LoadBalancer lb(Model.Region r, Request req, String arn) {
        return r.loadBalancers.stream().filter(lb -> lbArn(req.region(), req.account(), lb).equals(arn)).findFirst()
                .orElseThrow(() -> new AwsError(400, "LoadBalancerNotFound", "Load balancer '" + arn + "' not found"));
    }

    // ---- Redshift ------------------------------------------------------------------------------------------------

    private static final String REDSHIFT = "http://redshift.amazonaws.com/doc/2012-12-01/";

    private Reply redshift(String op, Request req, Map<String, String> p) {
        Model.Region r = aws.account(req.account()).region(req.region());
        if (!op.equals("DescribeClusters")) {
            throw new AwsError(400, "InvalidAction", "Could not find operation " + op);
        }
        String want = p.getOrDefault("ClusterIdentifier", "");
        List<Model.RedshiftCluster> all = r.redshiftClusters.stream().filter(c -> want.isEmpty() || c.id.equals(want)).toList();
        if (!want.isEmpty() && all.isEmpty()) {
            throw new AwsError(404, "ClusterNotFound", "Cluster " + want + " not found.");
        }
        int size = aws.pageSize("redshift", op, Wire.intParam(p, "MaxRecords", 100), 100);
        var page = Wire.page(all, p.get("Marker"), size);
        Xml x = result(op, REDSHIFT).open("Clusters");
        for (Model.RedshiftCluster c : page.items()) {
            x.open("Cluster").leaf("ClusterIdentifier", c.id).leaf("NodeType", c.nodeType).leaf("ClusterStatus", "available")
                    .leaf("ClusterAvailabilityStatus", "Available").leaf("NumberOfNodes", c.numberOfNodes)
                    .leaf("DBName", "dev").leaf("MasterUsername", "admin")
                    .open("Endpoint").leaf("Address", c.id + ".local.redshift.amazonaws.com").leaf("Port", c.port).close()
                    .leaf("VpcId", c.vpcId.isEmpty() ? null : c.vpcId).leaf("PubliclyAccessible", c.publiclyAccessible)
                    .leaf("Encrypted", c.encrypted)
                    .leaf("ClusterNamespaceArn", "arn:aws:redshift:" + req.region() + ":" + req.account() + ":namespace:"
                            + java.util.UUID.nameUUIDFromBytes(c.id.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            if (c.totalStorageCapacityMb > 0) {
                x.leaf("TotalStorageCapacityInMegaBytes", c.totalStorageCapacityMb);
            }
            x.open("ClusterNodes");
            for (int i = 0; i < c.nodeIps.size(); i++) {
                String role = c.nodeIps.size() == 1 ? "SHARED" : i == 0 ? "LEADER" : "COMPUTE-" + (i - 1);
                x.open("member").leaf("NodeRole", role).leaf("PrivateIPAddress", c.nodeIps.get(i)).close();
            }
            x.close();
            x.close();
        }
        x.close();
        if (page.next() != null) {
            x.leaf("Marker", page.next());
        }
        return done(x);
    }

    // ---- SNS -----------------------------------------------------------------------------------------------------

    private static final String SNS = "http://sns.amazonaws.com/doc/2010-03-31/";

    private Reply sns(String op, Request req, Map<String, String> p) {
        Model.Region r = aws.account(req.account()).region(req.region());
        if (!op.equals("GetTopicAttributes")) {
            throw new AwsError(400, "InvalidAction", "Could not find operation " + op);
        }
        String arn = p.getOrDefault("TopicArn", "");
        String prefix = "arn:aws:sns:" + req.region() + ":" + req.account() + ":";
        Model.Topic t = r.topics.stream().filter(x -> (prefix + x.name).equals(arn)).findFirst()
                .orElseThrow(() -> new AwsError(404, "NotFound", "Topic does not exist"));
        String policy = !t.policy.isEmpty() ? t.policy
                : "{\"Version\":\"2008-10-17\",\"Id\":\"__default_policy_ID\",\"Statement\":[{\"Sid\":\"__default_statement_ID\","
                + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"*\"},\"Action\":[\"SNS:GetTopicAttributes\",\"SNS:SetTopicAttributes\","
                + "\"SNS:AddPermission\",\"SNS:RemovePermission\",\"SNS:DeleteTopic\",\"SNS:Subscribe\",\"SNS:ListSubscriptionsByTopic\","
                + "\"SNS:Publish\"],\"Resource\":\"" + arn + "\",\"Condition\":{\"StringEquals\":{\"AWS:SourceOwner\":\""
                + req.account() + "\"}}}]}";
        Xml x = result(op, SNS).open("Attributes");
        Map<String, String> attrs = new java.util.LinkedHashMap<>();
        attrs.put("TopicArn", arn);
        attrs.put("Owner", req.account());
        attrs.put("Policy", policy);
        attrs.put("DisplayName", "");
        attrs.put("SubscriptionsConfirmed", "0");
        attrs.put("SubscriptionsPending", "0");
        attrs.put("SubscriptionsDeleted", "0");
        if (!t.kmsMasterKeyId.isEmpty()) {
            attrs.put("KmsMasterKeyId", t.kmsMasterKeyId);
        }
        attrs.forEach((k, v) -> x.open("entry").leaf("key", k).leaf("value", v).close());
        return done(x.close());
    }
}
