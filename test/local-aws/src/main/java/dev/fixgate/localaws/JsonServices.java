package dev.fixgate.localaws;

import dev.fixgate.localaws.LocalAws.Request;
import dev.fixgate.localaws.Wire.AwsError;
import dev.fixgate.localaws.Wire.Reply;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The JSON services ({@code X-Amz-Target}): CloudTrail, CloudWatch Logs (with Logs Insights), KMS, ECR (1.1); DynamoDB (1.0). */
final class JsonServices {

    private static final String CT = "application/x-amz-json-1.1";
    private final LocalAws aws;
    private final Map<String, StoredQuery> queries = new ConcurrentHashMap<>();

    private static final class StoredQuery {
        final Insights.Result result;
        int pollsLeft;

        StoredQuery(Insights.Result result, int polls) {
            this.result = result;
            this.pollsLeft = polls;
        }
    }

    JsonServices(LocalAws aws) {
        this.aws = aws;
    }

    Reply handle(String op, Request req, JsonNode body) {
        Model.Region r = aws.account(req.account()).region(req.region());
        return switch (req.service()) {
            case "cloudtrail" -> Reply.json(cloudTrail(op, req, body, r), CT);
            case "logs" -> Reply.json(logs(op, req, body, r), CT);
            case "kms" -> Reply.json(kms(op, req, body, r), CT);
            case "ecr" -> Reply.json(ecr(op, req, body, r), CT);
            case "dynamodb" -> Reply.json(dynamoDb(op, req, body, r), "application/x-amz-json-1.0");
            default -> throw new AwsError(400, "UnknownOperationException", op);
        };
    }

    // ---- CloudTrail ----------------------------------------------------------------------------------------------

    private static String trailArn(String region, String account, Model.Trail t) {
        return "arn:aws:cloudtrail:" + region + ":" + account + ":trail/" + t.name;
    }

    private record Located(Model.Trail trail, String region) {
    }

    private List<Located> visibleTrails(Request req, boolean shadows) {
        List<Located> out = new ArrayList<>();
        Model.Account a = aws.account(req.account());
        a.regions.forEach((name, region) -> {
            for (Model.Trail t : region.trails) {
                if (name.equals(req.region()) || shadows && t.multiRegion) {
                    out.add(new Located(t, name));
                }
            }
        });
        return out;
    }

    private ObjectNode cloudTrail(String op, Request req, JsonNode body, Model.Region r) {
        ObjectNode out = Wire.obj();
        switch (op) {
            case "DescribeTrails" -> {
                boolean shadows = !body.has("includeShadowTrails") || body.get("includeShadowTrails").asBoolean();
                List<String> names = new ArrayList<>();
                body.path("trailNameList").forEach(n -> names.add(n.asString()));
                ArrayNode list = out.putArray("trailList");
                for (Located l : visibleTrails(req, shadows)) {
                    String arn = trailArn(l.region, req.account(), l.trail);
                    if (!names.isEmpty() && !names.contains(l.trail.name) && !names.contains(arn)) {
                        continue;
                    }
                    ObjectNode t = list.addObject();
                    t.put("Name", l.trail.name).put("S3BucketName", l.trail.s3Bucket)
                            .put("IncludeGlobalServiceEvents", true).put("IsMultiRegionTrail", l.trail.multiRegion)
                            .put("HomeRegion", l.region).put("TrailARN", arn).put("LogFileValidationEnabled", true)
                            .put("HasCustomEventSelectors", !l.trail.advancedEventSelectors.isEmpty())
                            .put("HasInsightSelectors", false).put("IsOrganizationTrail", l.trail.organization)
                            .put("HasAdvancedEventSelectors", !l.trail.advancedEventSelectors.isEmpty());
                    if (!l.trail.logGroup.isEmpty()) {
                        t.put("CloudWatchLogsLogGroupArn", "arn:aws:logs:" + l.region + ":" + req.account() + ":log-group:"
                                + l.trail.logGroup + ":*");
                        t.put("CloudWatchLogsRoleArn", "arn:aws:iam::" + req.account() + ":role/CloudTrail_CloudWatchLogs");
                    }
                    if (!l.trail.kmsKeyId.isEmpty()) {
                        t.put("KmsKeyId", l.trail.kmsKeyId);
                    }
                }
            }
            case "GetEventSelectors" -> {
                String name = Wire.text(body, "TrailName");
                Located l = visibleTrails(req, true).stream()
                        .filter(x -> x.trail.name.equals(name) || trailArn(x.region, req.account(), x.trail).equals(name))
                        .findFirst().orElseThrow(() -> new AwsError(400, "TrailNotFoundException",
                                "Unknown trail: " + name + " for the user: " + req.account()));
                out.put("TrailARN", trailArn(l.region, req.account(), l.trail));
                ArrayNode sels = out.putArray("AdvancedEventSelectors");
                for (Model.AdvancedSelector s : l.trail.advancedEventSelectors) {
                    ObjectNode sel = sels.addObject().put("Name", s.name);
                    ArrayNode fs = sel.putArray("FieldSelectors");
                    for (Model.FieldSelector f : s.fieldSelectors) {
                        ObjectNode fo = fs.addObject().put("Field", f.field);
                        if (!f.equalsTo.isEmpty()) {
                            f.equalsTo.forEach(fo.putArray("Equals")::add);
                        }
                        if (!f.startsWith.isEmpty()) {
                            f.startsWith.forEach(fo.putArray("StartsWith")::add);
                        }
                        if (!f.notEquals.isEmpty()) {
                            f.notEquals.forEach(fo.putArray("NotEquals")::add);
                        }
                    }
                }
            }
            case "ListTags" -> {
                ArrayNode list = out.putArray("ResourceTagList");
                for (JsonNode id : body.path("ResourceIdList")) {
                    Located l = visibleTrails(req, true).stream()
                            .filter(x -> trailArn(x.region, req.account(), x.trail).equals(id.asString())).findFirst()
                            .orElseThrow(() -> new AwsError(400, "ResourceNotFoundException", "no trail " + id.asString()));
                    ObjectNode o = list.addObject().put("ResourceId", id.asString());
                    ArrayNode tags = o.putArray("TagsList");
                    l.trail.tags.forEach((k, v) -> tags.addObject().put("Key", k).put("Value", v));
                }
            }
            case "LookupEvents" -> {
                Instant start = body.has("StartTime") ? epoch(body.get("StartTime")) : aws.now().minusSeconds(90L * 86_400);
                Instant end = body.has("EndTime") ? epoch(body.get("EndTime")) : aws.now();
                List<Model.TrailEvent> events = new ArrayList<>();
                for (Model.TrailEvent e : r.eventHistory) {
                    Instant t = aws.time(e.time);
                    if (t.isBefore(start) || t.isAfter(end) || !lookupMatches(e, body.path("LookupAttributes"))) {
                        continue;
                    }
                    events.add(e);
                }
                events.sort(Comparator.comparing((Model.TrailEvent e) -> aws.time(e.time)).reversed());
                int size = aws.pageSize("cloudtrail", op, Math.min(50, Wire.intField(body, "MaxResults", 50)), 50);
                var page = Wire.page(events, Wire.text(body, "NextToken").isEmpty() ? null : Wire.text(body, "NextToken"), size);
                ArrayNode list = out.putArray("Events");
                for (Model.TrailEvent e : page.items()) {
                    ObjectNode o = list.addObject();
                    o.put("EventId", UUID.nameUUIDFromBytes((e.eventName + e.time).getBytes()).toString())
                            .put("EventName", e.eventName).put("ReadOnly", "false").put("EventSource", e.eventSource)
                            .put("EventTime", aws.time(e.time).getEpochSecond()).put("Username", e.username);
                    ArrayNode res = o.putArray("Resources");
                    e.resources.forEach(m -> res.addObject().put("ResourceType", m.getOrDefault("ResourceType", ""))
                            .put("ResourceName", m.getOrDefault("ResourceName", "")));
                    o.put("CloudTrailEvent", e.cloudTrailEvent.isEmpty() ? defaultEvent(e, req) : e.cloudTrailEvent);
                }
                if (page.next() != null) {
                    out.put("NextToken", page.next());
                }
            }
            default -> throw new AwsError(400, "UnknownOperationException", "CloudTrail " + op);
        }
        return out;
    }

    private String defaultEvent(Model.TrailEvent e, Request req) {
        ObjectNode o = Wire.obj();
        o.put("eventVersion", "1.09").put("eventTime", Wire.iso(aws.time(e.time))).put("eventSource", e.eventSource)
                .put("eventName", e.eventName).put("awsRegion", req.region()).put("recipientAccountId", req.account());
        return Wire.JSON.writeValueAsString(o);
    }

    private static boolean lookupMatches(Model.TrailEvent e, JsonNode attrs) {
        for (JsonNode a : attrs) {
            String key = a.path("AttributeKey").asString();
            String value = a.path("AttributeValue").asString();
            boolean ok = switch (key) {
                case "EventName" -> e.eventName.equals(value);
                case "EventSource" -> e.eventSource.equals(value);
                case "Username" -> e.username.equals(value);
                case "ResourceName" -> e.resources.stream().anyMatch(m -> value.equals(m.get("ResourceName")));
                case "ResourceType" -> e.resources.stream().anyMatch(m -> value.equals(m.get("ResourceType")));
                default -> throw new AwsError(400, "InvalidLookupAttributesException", "unsupported " + key);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static Instant epoch(JsonNode n) {
        return Instant.ofEpochMilli(Math.round(n.asDouble() * 1000));
    }

    // ---- CloudWatch Logs -----------------------------------------------------------------------------------------

    private ObjectNode logs(String op, Request req, JsonNode body, Model.Region r) {
        ObjectNode out = Wire.obj();
        switch (op) {
            case "DescribeLogGroups" -> {
                String prefix = Wire.text(body, "logGroupNamePrefix");
                List<Model.LogGroup> all = r.logGroups.stream().filter(g -> g.name.startsWith(prefix))
                        .sorted(Comparator.comparing(g -> g.name)).toList();
                int size = aws.pageSize("logs", op, Wire.intField(body, "limit", 50), 50);
                String token = Wire.text(body, "nextToken");
                var page = Wire.page(all, token.isEmpty() ? null : token, size);
                ArrayNode list = out.putArray("logGroups");
                for (Model.LogGroup g : page.items()) {
                    ObjectNode o = list.addObject().put("logGroupName", g.name)
                            .put("creationTime", aws.time(g.created).toEpochMilli())
                            .put("arn", "arn:aws:logs:" + req.region() + ":" + req.account() + ":log-group:" + g.name + ":*")
                            .put("storedBytes", 0).put("logGroupClass", "STANDARD");
                    if (g.retentionDays > 0) {
                        o.put("retentionInDays", g.retentionDays);
                    }
                }
                if (page.next() != null) {
                    out.put("nextToken", page.next());
                }
            }
            case "DescribeLogStreams" -> {
                String name = Wire.text(body, "logGroupName");
                String ident = Wire.text(body, "logGroupIdentifier");
                if (name.isEmpty() && !ident.isEmpty()) {
                    name = ident.replaceAll("^arn:[^:]+:logs:[^:]*:[^:]*:log-group:", "").replaceAll(":\\*$", "");
                }
                if (name.isEmpty()) {
                    throw new AwsError(400, "InvalidParameterException", "Either logGroupName or logGroupIdentifier is required");
                }
                String group = name;
                Model.LogGroup g = r.logGroups.stream().filter(x -> x.name.equals(group)).findFirst()
                        .orElseThrow(() -> new AwsError(400, "ResourceNotFoundException", "The specified log group does not exist."));
                String prefix = Wire.text(body, "logStreamNamePrefix");
                boolean byLastEvent = Wire.text(body, "orderBy").equals("LastEventTime");
                if (byLastEvent && !prefix.isEmpty()) {
                    throw new AwsError(400, "InvalidParameterException",
                            "Cannot order by LastEventTime with a logStreamNamePrefix.");
                }
                Comparator<Model.LogStream> order = byLastEvent
                        ? Comparator.comparing((Model.LogStream x) -> x.lastEvent.isEmpty() ? 0L : aws.time(x.lastEvent).toEpochMilli())
                        : Comparator.comparing((Model.LogStream x) -> x.name);
                if (body.path("descending").asBoolean(false)) {
                    order = order.reversed();
                }
                List<Model.LogStream> all = g.streams.stream().filter(x -> x.name.startsWith(prefix)).sorted(order).toList();
                int limit = Wire.intField(body, "limit", 50);
                if (limit < 1 || limit > 50) {
                    throw new AwsError(400, "InvalidParameterException", "1 validation error detected: Value '" + limit
                            + "' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50");
                }
                int size = aws.pageSize("logs", op, limit, 50);
                String token = Wire.text(body, "nextToken");
                var page = Wire.page(all, token.isEmpty() ? null : token, size);
                ArrayNode list = out.putArray("logStreams");
                for (Model.LogStream x : page.items()) {
                    ObjectNode o = list.addObject().put("logStreamName", x.name)
                            .put("creationTime", aws.time(x.created).toEpochMilli())
                            .put("arn", "arn:aws:logs:" + req.region() + ":" + req.account() + ":log-group:" + g.name
                                    + ":log-stream:" + x.name)
                            .put("storedBytes", x.storedBytes);
                    if (!x.firstEvent.isEmpty()) {
                        o.put("firstEventTimestamp", aws.time(x.firstEvent).toEpochMilli());
                    }
                    if (!x.lastEvent.isEmpty()) {
                        o.put("lastEventTimestamp", aws.time(x.lastEvent).toEpochMilli())
                                .put("lastIngestionTime", aws.time(x.lastEvent).toEpochMilli() + 200);
                    }
                }
                if (page.next() != null) {
                    out.put("nextToken", page.next());
                }
            }
            case "StartQuery" -> {
                List<String> names = new ArrayList<>();
                if (body.has("logGroupName")) {
                    names.add(body.get("logGroupName").asString());
                }
                body.path("logGroupNames").forEach(n -> names.add(n.asString()));
                body.path("logGroupIdentifiers").forEach(n -> {
                    String s = n.asString();
                    names.add(s.startsWith("arn:") ? s.replaceAll("^arn:[^:]+:logs:[^:]*:[^:]*:log-group:", "").replaceAll(":\\*$", "") : s);
                });
                if (names.isEmpty()) {
                    throw new AwsError(400, "InvalidParameterException", "a log group is required");
                }
                List<Model.LogGroup> groups = new ArrayList<>();
                for (String n : names) {
                    groups.add(r.logGroups.stream().filter(g -> g.name.equals(n)).findFirst()
                            .orElseThrow(() -> new AwsError(400, "ResourceNotFoundException", "Log group '" + n + "' does not exist")));
                }
                Instant start = Instant.ofEpochSecond(body.path("startTime").asLong());
                Instant end = Instant.ofEpochSecond(body.path("endTime").asLong());
                if (end.isBefore(start)) {
                    throw new AwsError(400, "InvalidParameterException", "endTime is before startTime");
                }
                Insights.Query q = Insights.parse(Wire.text(body, "queryString"));
                if (body.has("limit")) {
                    q = new Insights.Query(q.filters(), q.aggs(), q.by(), body.get("limit").asInt());
                }
                String id = UUID.randomUUID().toString();
                queries.put(id, new StoredQuery(Insights.run(q, groups, start, end, aws), aws.queryPolls()));
                out.put("queryId", id);
            }
            case "GetQueryResults" -> {
                StoredQuery q = queries.get(Wire.text(body, "queryId"));
                if (q == null) {
                    throw new AwsError(400, "ResourceNotFoundException", "Query does not exist");
                }
                ArrayNode rows = out.putArray("results");
                if (q.pollsLeft > 0) {
                    q.pollsLeft--;
                    out.put("status", "Running");
                } else {
                    out.put("status", "Complete");
                    for (Map<String, String> row : q.result.rows()) {
                        ArrayNode cells = rows.addArray();
                        row.forEach((k, v) -> cells.addObject().put("field", k).put("value", v));
                    }
                }
                out.putObject("statistics").put("recordsMatched", (double) q.result.matched())
                        .put("recordsScanned", (double) q.result.scanned()).put("bytesScanned", q.result.scanned() * 900.0);
            }
            default -> throw new AwsError(400, "UnknownOperationException", "Logs " + op);
        }
        return out;
    }

    // ---- KMS, ECR ------------------------------------------------------------------------------------------------

    private ObjectNode kms(String op, Request req, JsonNode body, Model.Region r) {
        String id = Wire.text(body, "KeyId");
        String keyId = id.startsWith("arn:") ? id.substring(id.lastIndexOf('/') + 1) : id;
        Model.KmsKey key = r.kmsKeys.stream().filter(k -> k.id.equals(keyId)).findFirst()
                .orElseThrow(() -> new AwsError(400, "NotFoundException", "Key '" + id + "' does not exist"));
        ObjectNode out = Wire.obj();
        switch (op) {
            case "GetKeyPolicy" -> out.put("Policy", key.policy).put("PolicyName", "default");
            case "ListResourceTags" -> {
                ArrayNode tags = out.putArray("Tags");
                key.tags.forEach((k, v) -> tags.addObject().put("TagKey", k).put("TagValue", v));
                out.put("Truncated", false);
            }
            case "DescribeKey" -> out.putObject("KeyMetadata").put("KeyId", key.id).put("Arn",
                    "arn:aws:kms:" + req.region() + ":" + req.account() + ":key/" + key.id).put("KeyState", "Enabled");
            default -> throw new AwsError(400, "UnknownOperationException", "KMS " + op);
        }
        return out;
    }

    private ObjectNode ecr(String op, Request req, JsonNode body, Model.Region r) {
        ObjectNode out = Wire.obj();
        switch (op) {
            case "ListTagsForResource" -> {
                String arn = Wire.text(body, "resourceArn");
                String name = arn.substring(arn.indexOf(":repository/") + ":repository/".length());
                Model.Repository repo = r.repositories.stream().filter(x -> x.name.equals(name)).findFirst()
                        .orElseThrow(() -> new AwsError(400, "RepositoryNotFoundException", "The repository '" + name
                                + "' does not exist in the registry with id '" + req.account() + "'"));
                ArrayNode tags = out.putArray("tags");
                repo.tags.forEach((k, v) -> tags.addObject().put("Key", k).put("Value", v));
            }
            default -> throw new AwsError(400, "UnknownOperationException", "ECR " + op);
        }
        return out;
    }

    private ObjectNode dynamoDb(String op, Request req, JsonNode body, Model.Region r) {
        if (!op.equals("GetResourcePolicy")) {
            throw new AwsError(400, "UnknownOperationException", "DynamoDB " + op);
        }
        String arn = Wire.text(body, "ResourceArn");
        String prefix = "arn:aws:dynamodb:" + req.region() + ":" + req.account() + ":table/";
        Model.Table t = r.tables.stream().filter(x -> (prefix + x.name).equals(arn)).findFirst()
                .orElseThrow(() -> new AwsError(400, "ResourceNotFoundException", "Requested resource not found: "
                        + "ResourcePolicy for resource " + arn + " not found"));
        if (t.policy.isEmpty()) {
            throw new AwsError(400, "PolicyNotFoundException", "Resource-based policy not found for the provided ResourceArn: " + arn);
        }
        return Wire.obj().put("Policy", t.policy).put("RevisionId", Long.toString(Math.abs((long) t.policy.hashCode())));
    }
}
