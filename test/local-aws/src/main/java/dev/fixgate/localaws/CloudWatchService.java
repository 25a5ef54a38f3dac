package dev.fixgate.localaws;

import dev.fixgate.localaws.LocalAws.Request;
import dev.fixgate.localaws.Wire.AwsError;
import dev.fixgate.localaws.Wire.Reply;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.cbor.CBORGenerator;

/**
 * CloudWatch in Smithy RPC v2 CBOR — what the AWS SDK for Java speaks to it: {@code POST
 * /service/GraniteServiceVersion20100801/operation/<Operation>}, {@code smithy-protocol: rpc-v2-cbor}, CBOR maps in
 * and out, timestamps as tag 1 (epoch seconds). GetMetricData and DescribeAlarms.
 */
final class CloudWatchService {

    private final LocalAws aws;

    CloudWatchService(LocalAws aws) {
        this.aws = aws;
    }

    Reply handle(String op, Request req) {
        JsonNode body = req.body().length == 0 ? Wire.obj() : Wire.CBOR.readTree(req.body());
        Model.Region r = aws.account(req.account()).region(req.region());
        Map<String, Object> out = switch (op) {
            case "GetMetricData" -> getMetricData(body, r);
            case "DescribeAlarms" -> describeAlarms(body, r, req);
            default -> throw new AwsError(400, "InvalidAction", "CloudWatch " + op);
        };
        return new Reply(200, "application/cbor", cbor(out), Map.of("smithy-protocol", "rpc-v2-cbor"));
    }

    private Map<String, Object> getMetricData(JsonNode body, Model.Region r) {
        Instant start = Instant.ofEpochMilli(Math.round(body.path("StartTime").asDouble() * 1000));
        Instant end = Instant.ofEpochMilli(Math.round(body.path("EndTime").asDouble() * 1000));
        if (!end.isAfter(start)) {
            throw new AwsError(400, "InvalidParameterValue", "The parameter StartTime must be less than the parameter EndTime.");
        }
        int offset = 0;
        String token = Wire.text(body, "NextToken");
        if (!token.isEmpty()) {
            offset = Integer.parseInt(token.substring("dp:".length()));
        }
        int size = aws.pageSize("monitoring", "GetMetricData", Wire.intField(body, "MaxDatapoints", 100_800), 100_800);
        boolean more = false;
        List<Object> results = new ArrayList<>();
        for (JsonNode q : body.path("MetricDataQueries")) {
            if (!q.has("MetricStat")) {
                throw new AwsError(400, "InvalidParameterValue", "local-aws answers MetricStat queries only");
            }
            JsonNode ms = q.get("MetricStat");
            JsonNode m = ms.path("Metric");
            Map<String, String> dims = new TreeMap<>();
            m.path("Dimensions").forEach(d -> dims.put(d.path("Name").asString(), d.path("Value").asString()));
            int period = ms.path("Period").asInt();
            if (period <= 0 || period % 60 != 0) {
                throw new AwsError(400, "InvalidParameterValue", "The parameter Period must be a multiple of 60.");
            }
            String stat = ms.path("Stat").asString();
            TreeMap<Long, double[]> buckets = new TreeMap<>();
            for (Model.Metric metric : r.metrics) {
                if (!metric.namespace.equals(m.path("Namespace").asString()) || !metric.name.equals(m.path("MetricName").asString())
                        || !new TreeMap<>(metric.dimensions).equals(dims)) {
                    continue;
                }
                for (Model.Datapoint p : metric.datapoints) {
                    add(buckets, aws.time(p.time), p.value, start, end, period);
                }
                if (metric.series != null) {
                    long every = Model.seconds(metric.series.every);
                    Instant to = aws.time(metric.series.to);
                    for (Instant t = aws.time(metric.series.from); !t.isAfter(to); t = t.plusSeconds(every)) {
                        add(buckets, t, metric.series.value, start, end, period);
                    }
                }
            }
            List<Instant> times = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (var e : buckets.descendingMap().entrySet()) {
                double[] b = e.getValue();
                double v = switch (stat) {
                    case "Sum" -> b[0];
                    case "SampleCount" -> b[1];
                    case "Average" -> b[0] / b[1];
                    case "Maximum" -> b[2];
                    case "Minimum" -> b[3];
                    default -> throw new AwsError(400, "InvalidParameterValue", "unsupported Stat " + stat);
                };
                times.add(Instant.ofEpochSecond(e.getKey()));
                values.add(v);
            }
            int to = Math.min(times.size(), offset + size);
            int from = Math.min(offset, times.size());
            more |= to < times.size();
            Map<String, Object> res = new LinkedHashMap<>();
            res.put("Id", q.path("Id").asString());
            res.put("Label", m.path("MetricName").asString());
            res.put("Timestamps", new ArrayList<Object>(times.subList(from, to)));
            res.put("Values", new ArrayList<>(values.subList(from, to)));
            res.put("StatusCode", to < times.size() ? "PartialData" : "Complete");
            results.add(res);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("MetricDataResults", results);
        out.put("Messages", List.of());
        if (more) {
            out.put("NextToken", "dp:" + (offset + size));
        }
        return out;
    }

    private static void add(TreeMap<Long, double[]> buckets, Instant t, double v, Instant start, Instant end, int period) {
        if (t.isBefore(start) || !t.isBefore(end)) {
            return;
        }
        long key = start.getEpochSecond() + (t.getEpochSecond() - start.getEpochSecond()) / period * period;
        double[] b = buckets.computeIfAbsent(key, k -> new double[] {0, 0, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY});
        b[0] += v;
        b[1] += 1;
        b[2] = Math.max(b[2], v);
        b[3] = Math.min(b[3], v);
    }

    private Map<String, Object> describeAlarms(JsonNode body, Model.Region r, Request req) {
        String state = Wire.text(body, "StateValue");
        List<String> names = new ArrayList<>();
        body.path("AlarmNames").forEach(n -> names.add(n.asString()));
        List<Model.Alarm> all = r.alarms.stream().filter(a -> state.isEmpty() || a.state.equals(state))
                .filter(a -> names.isEmpty() || names.contains(a.name)).toList();
        int size = aws.pageSize("monitoring", "DescribeAlarms", Wire.intField(body, "MaxRecords", 100), 100);
        String token = Wire.text(body, "NextToken");
        var page = Wire.page(all, token.isEmpty() ? null : token, size);
        List<Object> alarms = new ArrayList<>();
        for (Model.Alarm a : page.items()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("AlarmName", a.name);
            m.put("AlarmArn", "arn:aws:cloudwatch:" + req.region() + ":" + req.account() + ":alarm:" + a.name);
            m.put("StateValue", a.state);
            m.put("StateReason", "local-aws");
            m.put("StateUpdatedTimestamp", aws.time(a.since));
            m.put("Namespace", a.namespace);
            m.put("MetricName", a.metricName);
            List<Object> dims = new ArrayList<>();
            a.dimensions.forEach((k, v) -> dims.add(Map.of("Name", k, "Value", v)));
            m.put("Dimensions", dims);
            m.put("ActionsEnabled", true);
            m.put("AlarmActions", a.alarmActions);
            m.put("OKActions", a.okActions);
            m.put("InsufficientDataActions", List.of());
            alarms.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("MetricAlarms", alarms);
        out.put("CompositeAlarms", List.of());
        if (page.next() != null) {
            out.put("NextToken", page.next());
        }
        return out;
    }

    /** CBOR with timestamps as tag 1 (epoch seconds, a double), as Smithy RPC v2 requires. */
    static byte[] cbor(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = Wire.CBOR.createGenerator(out)) {
            write((CBORGenerator) g, value);
        }
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static void write(CBORGenerator g, Object v) {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (var e : ((Map<String, Object>) m).entrySet()) {
                g.writeName(e.getKey());
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> l) {
            g.writeStartArray();
            for (Object o : l) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Instant t) {
            g.writeTag(1);
            g.writeNumber(t.toEpochMilli() / 1000.0);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Number n) {
            g.writeNumber(n.longValue());
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeString(String.valueOf(v));
        }
    }
}
