package dev.fixgate.localaws;

import dev.fixgate.localaws.LocalAws.Request;
import dev.fixgate.localaws.Wire.AwsError;
import dev.fixgate.localaws.Wire.Reply;
import dev.fixgate.localaws.Wire.Xml;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** S3, REST-XML, path-style ({@code /bucket/key}): the bucket reads the collectors make. */
final class S3Service {

    private static final String NS = "http://s3.amazonaws.com/doc/2006-03-01/";
    private final LocalAws aws;

    S3Service(LocalAws aws) {
        this.aws = aws;
    }

    static String operation(Request req) {
        String path = req.path();
        Map<String, String> q = req.query();
        boolean root = path.equals("/") || path.isEmpty();
        String rest = root ? "" : path.substring(1);
        boolean object = rest.indexOf('/') > 0 && rest.indexOf('/') < rest.length() - 1;
        String m = req.method();
        if (m.equals("GET") && root) {
            return "ListBuckets";
        }
        if (m.equals("HEAD")) {
            return object ? "HeadObject" : "HeadBucket";
        }
        if (m.equals("GET") && object) {
            return q.containsKey("tagging") ? "GetObjectTagging" : q.containsKey("acl") ? "GetObjectAcl" : "GetObject";
        }
        if (m.equals("GET")) {
            if (q.containsKey("list-type")) {
                return "ListObjectsV2";
            }
            for (String[] sub : new String[][] {{"tagging", "GetBucketTagging"}, {"policyStatus", "GetBucketPolicyStatus"},
                    {"policy", "GetBucketPolicy"}, {"acl", "GetBucketAcl"}, {"publicAccessBlock", "GetPublicAccessBlock"},
                    {"location", "GetBucketLocation"}, {"logging", "GetBucketLogging"}, {"versioning", "GetBucketVersioning"},
                    {"encryption", "GetBucketEncryption"}, {"metrics", "ListBucketMetricsConfigurations"}}) {
                if (q.containsKey(sub[0])) {
                    return sub[1];
                }
            }
            return "ListObjects";
        }
        String kind = m.equals("PUT") ? "Put" : m.equals("DELETE") ? "Delete" : "Post";
        for (String sub : new String[] {"policy", "tagging", "acl", "publicAccessBlock", "encryption", "logging", "versioning"}) {
            if (q.containsKey(sub)) {
                return kind + "Bucket" + Character.toUpperCase(sub.charAt(0)) + sub.substring(1);
            }
        }
        return kind + (object ? "Object" : "Bucket");
    }

    Reply handle(String op, Request req) {
        if (!op.startsWith("Get") && !op.startsWith("List") && !op.startsWith("Head")) {
            throw new AwsError(405, "MethodNotAllowed", "local-aws serves S3 reads only (" + op + ")");
        }
        if (op.equals("ListBuckets")) {
            return listBuckets(req);
        }
        String rest = req.path().substring(1);
        int slash = rest.indexOf('/');
        String name = URLDecoder.decode(slash < 0 ? rest : rest.substring(0, slash), StandardCharsets.UTF_8);
        String key = slash < 0 ? "" : URLDecoder.decode(rest.substring(slash + 1), StandardCharsets.UTF_8);
        Model.Bucket b = find(name);
        if (b == null) {
            throw new AwsError(404, "NoSuchBucket", "The specified bucket does not exist");
        }
        if (!op.equals("GetBucketLocation") && !b.region.equals(req.region())) {
            throw new AwsError(301, "PermanentRedirect", "The bucket you are attempting to access must be addressed"
                    + " using the specified endpoint.", Map.of("x-amz-bucket-region", b.region));
        }
        return switch (op) {
            case "HeadBucket" -> new Reply(200, "", new byte[0], Map.of("x-amz-bucket-region", b.region));
            case "ListObjectsV2" -> listObjects(req, b);
            case "GetBucketTagging" -> {
                if (b.tags.isEmpty()) {
                    throw new AwsError(404, "NoSuchTagSet", "The TagSet does not exist");
                }
                Xml x = new Xml().open("Tagging", NS).open("TagSet");
                b.tags.forEach((k, v) -> x.open("Tag").leaf("Key", k).leaf("Value", v).close());
                yield Reply.xml(x.toString());
            }
            case "GetBucketPolicy" -> {
                if (b.policy.isEmpty()) {
                    throw new AwsError(404, "NoSuchBucketPolicy", "The bucket policy does not exist");
                }
                yield Reply.bytes("application/json", b.policy.getBytes(StandardCharsets.UTF_8));
            }
            case "GetBucketPolicyStatus" -> {
                if (b.policy.isEmpty()) {
                    throw new AwsError(404, "NoSuchBucketPolicy", "The bucket policy does not exist");
                }
                yield Reply.xml(new Xml().open("PolicyStatus", NS).leaf("IsPublic", policyIsPublic(b)).toString());
            }
            case "GetBucketAcl" -> {
                Xml x = new Xml().open("AccessControlPolicy", NS).open("Owner").leaf("ID", "owner-" + account(req))
                        .close().open("AccessControlList");
                x.open("Grant").open("Grantee").leaf("ID", "owner-" + account(req)).close()
                        .leaf("Permission", "FULL_CONTROL").close();
                for (String p : b.publicAclGrants) {
                    x.open("Grant").open("Grantee").leaf("URI", "http://acs.amazonaws.com/groups/global/AllUsers").close()
                            .leaf("Permission", p).close();
                }
                yield aclReply(x.toString());
            }
            case "GetPublicAccessBlock" -> {
                if (b.publicAccessBlock == null) {
                    throw new AwsError(404, "NoSuchPublicAccessBlockConfiguration",
                            "The public access block configuration was not found");
                }
                Model.PublicAccessBlock p = b.publicAccessBlock;
                yield Reply.xml(new Xml().open("PublicAccessBlockConfiguration", NS)
                        .leaf("BlockPublicAcls", p.blockPublicAcls).leaf("IgnorePublicAcls", p.ignorePublicAcls)
                        .leaf("BlockPublicPolicy", p.blockPublicPolicy).leaf("RestrictPublicBuckets", p.restrictPublicBuckets)
                        .toString());
            }
            case "GetBucketVersioning" -> {
                // A bucket never versioned answers an empty configuration (no Status, no MfaDelete); once versioning
                // was enabled, S3 reports Enabled or Suspended, and MfaDelete once it was ever configured.
                Xml x = new Xml().open("VersioningConfiguration", NS);
                if (!b.versioning.isEmpty()) {
                    x.leaf("Status", b.versioning);
                }
                yield Reply.xml(x.toString());
            }
            case "GetBucketLocation" -> Reply.xml("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\""
                    + NS + "\">" + (b.region.equals("us-east-1") ? "" : b.region) + "</LocationConstraint>");
            case "GetObject", "HeadObject" -> getObject(b, key, op.equals("HeadObject"));
            default -> throw new AwsError(501, "NotImplemented", "local-aws does not serve " + op);
        };
    }

    private static Reply aclReply(String xml) {
        // Grantee elements carry an xsi:type in real answers; the SDK reads the child elements either way.
        return Reply.xml(xml.replace("<Grantee>", "<Grantee xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"));
    }

    private static String account(Request req) {
        return req.account();
    }

    private Model.Bucket find(String name) {
        for (Model.Account a : aws.scenarioUnlocked().accounts) {
            for (Model.Bucket b : a.buckets) {
                if (b.name.equals(name)) {
                    return b;
                }
            }
        }
        return null;
    }

    /** A policy is public when an Allow statement names Principal "*" (or AWS "*") without a Condition. */
    static boolean policyIsPublic(Model.Bucket b) {
        var doc = Wire.JSON.readTree(b.policy);
        for (var st : doc.path("Statement")) {
            var p = st.path("Principal");
            boolean star = p.isString() && p.asString().equals("*") || p.path("AWS").isString() && p.path("AWS").asString().equals("*");
            if (st.path("Effect").asString().equals("Allow") && star && st.path("Condition").isMissingNode()) {
                return true;
            }
        }
        return false;
    }

    private Reply listBuckets(Request req) {
        List<Model.Bucket> mine = new ArrayList<>(LocalAws.accountOf(aws.scenarioUnlocked(), req.account()).buckets);
        mine.sort(Comparator.comparing(b -> b.name));
        int max = aws.pageSize("s3", "ListBuckets", Wire.intParam(req.query(), "max-buckets", 10_000), 10_000);
        var page = Wire.page(mine, req.query().get("continuation-token"), max);
        Xml x = new Xml().open("ListAllMyBucketsResult", NS).open("Owner").leaf("ID", "owner-" + req.account()).close()
                .open("Buckets");
        for (Model.Bucket b : page.items()) {
            x.open("Bucket").leaf("Name", b.name).leaf("CreationDate", Wire.iso(aws.time(b.created)))
                    .leaf("BucketRegion", b.region).close();
        }
        x.close();
        if (page.next() != null) {
            x.leaf("ContinuationToken", page.next());
        }
        return Reply.xml(x.toString());
    }

    private record Obj(String key, long size, String modified) {
    }

    private List<Obj> objects(Model.Bucket b) {
        List<Obj> all = new ArrayList<>();
        for (Model.S3Object o : b.objects) {
            all.add(new Obj(o.key, o.size > 0 ? o.size : o.content.length(), o.lastModified));
        }
        int width = String.valueOf(b.generatedObjects).length();
        for (int i = 1; i <= b.generatedObjects; i++) {
            all.add(new Obj(b.objectPrefix + String.format("%0" + width + "d", i), 1024, "-1d"));
        }
        all.sort(Comparator.comparing(Obj::key));
        return all;
    }

    private Reply listObjects(Request req, Model.Bucket b) {
        String prefix = req.query().getOrDefault("prefix", "");
        List<Obj> all = objects(b).stream().filter(o -> o.key.startsWith(prefix)).toList();
        int max = aws.pageSize("s3", "ListObjectsV2", Wire.intParam(req.query(), "max-keys", 1000), 1000);
        var page = Wire.page(all, req.query().get("continuation-token"), Math.min(max, 1000));
        Xml x = new Xml().open("ListBucketResult", NS).leaf("Name", b.name).leaf("Prefix", prefix)
                .leaf("KeyCount", page.items().size()).leaf("MaxKeys", max).leaf("IsTruncated", page.next() != null);
        if (req.query().containsKey("continuation-token")) {
            x.leaf("ContinuationToken", req.query().get("continuation-token"));
        }
        if (page.next() != null) {
            x.leaf("NextContinuationToken", page.next());
        }
        for (Obj o : page.items()) {
            x.open("Contents").leaf("Key", o.key).leaf("LastModified", Wire.iso(aws.time(o.modified)))
                    .leaf("ETag", "\"" + Integer.toHexString(o.key.hashCode()) + "\"").leaf("Size", o.size)
                    .leaf("StorageClass", "STANDARD").close();
        }
        return Reply.xml(x.toString());
    }

    private Reply getObject(Model.Bucket b, String key, boolean head) {
        for (Model.S3Object o : b.objects) {
            if (o.key.equals(key)) {
                byte[] body = o.content.getBytes(StandardCharsets.UTF_8);
                if (key.endsWith(".gz")) {
                    body = gzip(body);
                }
                return new Reply(200, key.endsWith(".gz") ? "application/x-gzip" : "application/octet-stream",
                        head ? new byte[0] : body, Map.of("Last-Modified", Wire.rfc1123(aws.time(o.lastModified)),
                        "ETag", "\"" + Integer.toHexString(key.hashCode()) + "\""));
            }
        }
        throw new AwsError(404, "NoSuchKey", "The specified key does not exist.");
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
