package dev.fixgate.patch.corpus;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The property each KICS query checks, asserted on an independent re-reading of the patched file
 * ({@link TfModel}, {@link CfnModel}). Returns what is still wrong, or empty when the resource is compliant.
 * Deliberately written from the queries' descriptions, not from the operations' code.
 */
final class ComplianceChecks {

    private static final Set<String> PUBLIC_ACLS = Set.of("public-read", "public-read-write", "authenticated-read");
    private static final Set<String> PUBLIC_CFN_ACLS = Set.of("PublicRead", "PublicReadWrite", "AuthenticatedRead");
    private static final List<String> PAB = List.of("block_public_acls", "block_public_policy", "ignore_public_acls",
            "restrict_public_buckets");
    private static final List<String> CFN_PAB = List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls",
            "RestrictPublicBuckets");

    private ComplianceChecks() {
    }

    static Optional<String> violation(String check, boolean terraform, String text, String address, Map<String, Object> with) {
        if (terraform) {
            TfModel m = TfModel.parse(text);
            TfModel.Block b = m.find(address).orElseThrow(() -> new AssertionError(address + " vanished from the file"));
            return tf(check, m, b, with);
        }
        CfnModel m = CfnModel.parse(text);
        if (!m.resources().containsKey(address)) {
            throw new AssertionError(address + " vanished from the template");
        }
        return cfn(check, m, address, with);
    }

    private static Optional<String> tf(String check, TfModel m, TfModel.Block b, Map<String, Object> with) {
        String kind = b.type().equals("module") ? "module" : b.labels().get(0);
        String owner = b.address();
        return switch (check) {
            case "s3-public-access" -> {
                List<String> flags = with.containsKey("flag") ? List.of(String.valueOf(with.get("flag"))) : PAB;
                yield switch (kind) {
                    case "aws_s3_bucket" -> companions(m, "aws_s3_bucket_public_access_block", b, "bucket").stream()
                            .anyMatch(c -> flags.stream().allMatch(f -> truthy(c.attr(f)))) ? ok() : bad("no public access block with " + flags + " for " + owner);
                    default -> flags.stream().allMatch(f -> truthy(b.attr(f))) ? ok() : bad("not all of " + flags + " are true");
                };
            }
            case "s3-acl" -> {
                boolean pub = b.attr("acl") instanceof String s && PUBLIC_ACLS.contains(s);
                if (kind.equals("aws_s3_bucket")) {
                    pub |= companions(m, "aws_s3_bucket_acl", b, "bucket").stream().anyMatch(c -> c.attr("acl") instanceof String s && PUBLIC_ACLS.contains(s));
                }
                yield pub ? bad("a public canned ACL remains") : ok();
            }
            case "s3-versioning" -> switch (kind) {
                case "aws_s3_bucket" -> b.nested("versioning").stream().anyMatch(v -> truthy(v.attr("enabled")))
                        || companions(m, "aws_s3_bucket_versioning", b, "bucket").stream().anyMatch(c -> c.nested("versioning_configuration")
                        .stream().anyMatch(vc -> "Enabled".equals(vc.attr("status")))) ? ok() : bad("versioning not enabled");
                case "aws_s3_bucket_versioning" -> b.nested("versioning_configuration").stream().anyMatch(vc -> "Enabled".equals(vc.attr("status")))
                        ? ok() : bad("status is not Enabled");
                default -> b.attr("versioning") instanceof Map<?, ?> v && truthy(v.get("enabled")) ? ok() : bad("versioning.enabled is not true");
            };
            case "s3-encryption" -> switch (kind) {
                case "aws_s3_bucket_object" -> Set.of("AES256", "aws:kms").contains(String.valueOf(b.attr("server_side_encryption")))
                        || b.attrs().containsKey("kms_key_id") ? ok() : bad("object has no server-side encryption");
                default -> !b.nested("server_side_encryption_configuration").isEmpty()
                        || !companions(m, "aws_s3_bucket_server_side_encryption_configuration", b, "bucket").isEmpty() ? ok() : bad("bucket not encrypted");
            };
            case "s3-logging" -> switch (kind) {
                case "module" -> b.attr("logging") instanceof Map<?, ?> l && l.containsKey("target_bucket") ? ok() : bad("no logging input");
                default -> b.nested("logging").stream().anyMatch(l -> l.attrs().containsKey("target_bucket"))
                        || !companions(m, "aws_s3_bucket_logging", b, "bucket").isEmpty() ? ok() : bad("no access logging");
            };
            case "sg-open-ingress" -> {
                String port = with.containsKey("port") ? String.valueOf(with.get("port")) : null;
                boolean open = switch (kind) {
                    case "aws_security_group_rule" -> "ingress".equals(b.attr("type")) && openCidrs(b.attrs());
                    case "module" -> open(b.attr("ingress_cidr_blocks")) || open(b.attr("ingress_ipv6_cidr_blocks"))
                            || openRules(b, port);
                    default -> openRules(b, port);
                };
                yield open ? bad("an ingress rule" + (port == null ? "" : " covering port " + port) + " is open to the internet") : ok();
            }
            case "cloudtrail" -> switch (String.valueOf(with.get("setting"))) {
                case "validation" -> truthy(b.attr("enable_log_file_validation")) ? ok() : bad("log file validation off");
                case "logging" -> absentOrTrue(b.attr("enable_logging")) ? ok() : bad("logging off");
                default -> truthy(b.attr("is_multi_region_trail")) && absentOrTrue(b.attr("include_global_service_events"))
                        ? ok() : bad("not multi-region");
            };
            case "kms-rotation" -> truthy(b.attr("enable_key_rotation")) ? ok() : bad("rotation off");
            case "ebs-encryption" -> kind.equals("aws_ebs_encryption_by_default") ? (absentOrTrue(b.attr("enabled")) ? ok() : bad("default encryption off"))
                    : truthy(b.attr("encrypted")) ? ok() : bad("volume not encrypted");
            case "rds-encryption" -> truthy(b.attr("storage_encrypted")) ? ok() : bad("storage not encrypted");
            case "rds-public" -> b.attr("publicly_accessible") == null || Boolean.FALSE.equals(b.attr("publicly_accessible"))
                    ? ok() : bad("publicly accessible");
            case "tags" -> b.attr("tags") instanceof Map<?, ?> t && t.keySet().stream().anyMatch(k -> !"Name".equals(k))
                    ? ok() : bad("no tags besides Name");
            case "vpc-flow-logs" -> kind.equals("module") ? (truthy(b.attr("enable_flow_log")) ? ok() : bad("flow log off"))
                    : companions(m, "aws_flow_log", b, "vpc_id").isEmpty() ? bad("no flow log for " + owner) : ok();
            default -> throw new AssertionError("no check " + check);
        };
    }

    private static Optional<String> cfn(String check, CfnModel model, String address, Map<String, Object> with) {
        String type = model.type(address);
        Map<String, Object> p = model.properties(address);
        return switch (check) {
            case "s3-public-access" -> (with.containsKey("flag") ? List.of(String.valueOf(with.get("flag"))) : CFN_PAB).stream()
                    .allMatch(f -> truthy(CfnModel.at(p, "PublicAccessBlockConfiguration." + f).orElse(null)))
                    ? ok() : bad("a public access flag is not true");
            case "s3-acl" -> (with.get("acls") instanceof List<?> l ? l : List.copyOf(PUBLIC_CFN_ACLS)).contains(String.valueOf(p.get("AccessControl")))
                    ? bad("public AccessControl") : ok();
            case "s3-versioning" -> "Enabled".equals(CfnModel.at(p, "VersioningConfiguration.Status").orElse(null)) ? ok() : bad("versioning not enabled");
            case "s3-encryption" -> CfnModel.list(CfnModel.at(p, "BucketEncryption.ServerSideEncryptionConfiguration").orElse(null)).stream()
                    .anyMatch(r -> r instanceof Map<?, ?> rm && rm.get("ServerSideEncryptionByDefault") instanceof Map<?, ?> d && d.get("SSEAlgorithm") != null)
                    ? ok() : bad("no default encryption");
            case "s3-logging" -> p.get("LoggingConfiguration") instanceof Map<?, ?> ? ok() : bad("no LoggingConfiguration");
            case "sg-open-ingress" -> {
                String port = with.containsKey("port") ? String.valueOf(with.get("port")) : null;
                List<Object> rules = type.equals("AWS::EC2::SecurityGroupIngress") ? List.of(p) : CfnModel.list(p.get("SecurityGroupIngress"));
                boolean open = rules.stream().anyMatch(r -> r instanceof Map<?, ?> rm && covers(rm.get("IpProtocol"), rm.get("FromPort"), rm.get("ToPort"), port)
                        && ("0.0.0.0/0".equals(rm.get("CidrIp")) || "::/0".equals(rm.get("CidrIpv6"))));
                yield open ? bad("an ingress rule is open to the internet") : ok();
            }
            case "cloudtrail" -> switch (String.valueOf(with.get("setting"))) {
                case "validation" -> truthy(p.get("EnableLogFileValidation")) ? ok() : bad("log file validation off");
                case "logging" -> truthy(p.get("IsLogging")) ? ok() : bad("logging off");
                default -> truthy(p.get("IsMultiRegionTrail")) ? ok() : bad("not multi-region");
            };
            case "kms-rotation" -> truthy(p.get("EnableKeyRotation")) ? ok() : bad("rotation off");
            case "ebs-encryption" -> truthy(p.get("Encrypted")) ? ok() : bad("volume not encrypted");
            case "rds-encryption" -> truthy(p.get("StorageEncrypted")) ? ok() : bad("storage not encrypted");
            case "rds-public" -> truthy(p.get("PubliclyAccessible")) ? bad("publicly accessible") : ok();
            case "tags" -> !CfnModel.list(p.get(type.equals("AWS::EFS::FileSystem") ? "FileSystemTags" : "Tags")).isEmpty()
                    || p.get("Tags") instanceof Map<?, ?> tm && !tm.isEmpty() ? ok() : bad("no tags");
            case "vpc-flow-logs" -> model.resources().keySet().stream().anyMatch(id -> model.type(id).equals("AWS::EC2::FlowLog")
                    && Map.of("Ref", address).equals(model.properties(id).get("ResourceId"))) ? ok() : bad("no flow log for " + address);
            default -> throw new AssertionError("no check " + check);
        };
    }

    /** Resources of {@code type} whose {@code attr} points at {@code owner} by expression or by its literal name. */
    static List<TfModel.Block> companions(TfModel m, String type, TfModel.Block owner, String attr) {
        String addr = owner.address();
        Object ownerName = owner.attr(attr);
        return m.resources(type).stream().filter(c -> {
            Object v = c.attr(attr);
            if (v instanceof TfModel.Expr e) {
                String s = e.source();
                return s.startsWith(addr + ".") || s.startsWith(addr + "[")
                        || s.startsWith("each.value") && c.attr("for_each") instanceof TfModel.Expr f && f.source().equals(addr);
            }
            return v != null && v.equals(ownerName);
        }).toList();
    }

    private static boolean openRules(TfModel.Block b, String port) {
        return b.nested("ingress").stream().anyMatch(r -> covers(r.attr("protocol"), r.attr("from_port"), r.attr("to_port"), port)
                && openCidrs(r.attrs()));
    }

    private static boolean openCidrs(Map<String, Object> attrs) {
        return open(attrs.get("cidr_blocks")) || open(attrs.get("ipv6_cidr_blocks")) || "0.0.0.0/0".equals(attrs.get("cidr_ipv4"));
    }

    private static boolean open(Object list) {
        return list instanceof List<?> l && (l.contains("0.0.0.0/0") || l.contains("::/0"));
    }

    /** Whether a rule's ports include the whole of {@code port} ("22" or "0-65535"); unknown ports count as covered. */
    private static boolean covers(Object protocol, Object from, Object to, String port) {
        if (port == null || "-1".equals(String.valueOf(protocol)) || "all".equalsIgnoreCase(String.valueOf(protocol))) {
            return true;
        }
        String[] range = port.split("-");
        int lo = Integer.parseInt(range[0].strip());
        int hi = Integer.parseInt(range[range.length - 1].strip());
        try {
            int f = Integer.parseInt(String.valueOf(from));
            int t = Integer.parseInt(String.valueOf(to));
            return t < f || f <= lo && hi <= t;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static boolean truthy(Object v) {
        return Boolean.TRUE.equals(v) || "true".equalsIgnoreCase(String.valueOf(v));
    }

    private static boolean absentOrTrue(Object v) {
        return v == null || truthy(v);
    }

    private static Optional<String> ok() {
        return Optional.empty();
    }

    private static Optional<String> bad(String why) {
        return Optional.of(why);
    }
}
