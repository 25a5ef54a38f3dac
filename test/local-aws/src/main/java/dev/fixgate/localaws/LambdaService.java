package dev.fixgate.localaws;

import dev.fixgate.localaws.LocalAws.Request;
import dev.fixgate.localaws.Wire.AwsError;
import dev.fixgate.localaws.Wire.Reply;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Lambda, REST-JSON: function URL configurations, the resource policy, tags. */
final class LambdaService {

    private static final Pattern URLS = Pattern.compile("/2021-10-31/functions/([^/]+)/urls");
    private static final Pattern URL = Pattern.compile("/2021-10-31/functions/([^/]+)/url");
    private static final Pattern POLICY = Pattern.compile("/2015-03-31/functions/([^/]+)/policy");
    private static final Pattern CONFIGURATION = Pattern.compile("/2015-03-31/functions/([^/]+)/configuration");
    private static final Pattern FUNCTION = Pattern.compile("/2015-03-31/functions/([^/]+)/?");
    private static final Pattern TAGS = Pattern.compile("/2017-03-31/tags/(.+)");

    private final LocalAws aws;

    LambdaService(LocalAws aws) {
        this.aws = aws;
    }

    static String operation(Request req) {
        String p = req.path();
        if (!req.method().equals("GET")) {
            return req.method() + " " + p;
        }
        if (URLS.matcher(p).matches()) {
            return "ListFunctionUrlConfigs";
        }
        if (URL.matcher(p).matches()) {
            return "GetFunctionUrlConfig";
        }
        if (POLICY.matcher(p).matches()) {
            return "GetPolicy";
        }
        if (TAGS.matcher(p).matches()) {
            return "ListTags";
        }
        if (CONFIGURATION.matcher(p).matches()) {
            return "GetFunctionConfiguration";
        }
        if (FUNCTION.matcher(p).matches()) {
            return "GetFunction";
        }
        return "GET " + p;
    }

    Reply handle(String op, Request req) {
        Model.Region r = aws.account(req.account()).region(req.region());
        String p = req.path();
        ObjectNode out = Wire.obj();
        switch (op) {
            case "ListFunctionUrlConfigs", "GetFunctionUrlConfig" -> {
                Model.Function f = function(r, req, group(op.equals("GetFunctionUrlConfig") ? URL : URLS, p));
                if (op.equals("GetFunctionUrlConfig")) {
                    if (f.urlAuthType.isEmpty()) {
                        throw new AwsError(404, "ResourceNotFoundException", "The resource you requested does not exist.");
                    }
                    url(out, f, req);
                } else {
                    ArrayNode list = out.putArray("FunctionUrlConfigs");
                    if (!f.urlAuthType.isEmpty()) {
                        url(list.addObject(), f, req);
                    }
                }
            }
            case "GetPolicy" -> {
                Model.Function f = function(r, req, group(POLICY, p));
                if (f.policy.isEmpty()) {
                    throw new AwsError(404, "ResourceNotFoundException", "The resource you requested does not exist.");
                }
                out.put("Policy", f.policy).put("RevisionId", "1");
            }
            case "ListTags" -> {
                String arn = group(TAGS, p);
                Model.Function f = function(r, req, arn);
                ObjectNode tags = out.putObject("Tags");
                f.tags.forEach(tags::put);
            }
            case "GetFunctionConfiguration" -> configuration(out, function(r, req, group(CONFIGURATION, p)), req);
            case "GetFunction" -> {
                Model.Function f = function(r, req, group(FUNCTION, p));
                out.putObject("Configuration").put("FunctionName", f.name).put("FunctionArn", arn(f, req));
                ObjectNode tags = out.putObject("Tags");
                f.tags.forEach(tags::put);
            }
            default -> throw new AwsError(404, "UnknownOperationException", "local-aws serves Lambda reads only: " + op);
        }
        return Reply.json(out, "application/json");
    }

    private static String arn(Model.Function f, Request req) {
        return "arn:aws:lambda:" + req.region() + ":" + req.account() + ":function:" + f.name;
    }

    /** A FunctionConfiguration as GetFunctionConfiguration (and GetFunction's Configuration) returns it. */
    private static void configuration(ObjectNode o, Model.Function f, Request req) {
        o.put("FunctionName", f.name).put("FunctionArn", arn(f, req)).put("Runtime", "python3.12")
                .put("Role", f.role.isEmpty() ? "arn:aws:iam::" + req.account() + ":role/" + f.name + "-role" : f.role)
                .put("Handler", "app.handler").put("CodeSize", 1024).put("Description", "").put("Timeout", 3)
                .put("MemorySize", 128).put("LastModified", "2026-01-01T00:00:00.000+0000")
                .put("CodeSha256", "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=").put("Version", "$LATEST")
                .put("RevisionId", "5d5ba3b5-9c5a-4a4f-9f6e-0d3b1c2a7e11").put("State", "Active")
                .put("LastUpdateStatus", "Successful").put("PackageType", "Zip");
        o.putObject("TracingConfig").put("Mode", f.tracingMode);
        o.putArray("Architectures").add("x86_64");
        o.putObject("EphemeralStorage").put("Size", 512);
        o.putObject("LoggingConfig").put("LogFormat", "Text").put("LogGroup", "/aws/lambda/" + f.name);
    }

    private static void url(ObjectNode o, Model.Function f, Request req) {
        o.put("FunctionUrl", "https://" + f.name + ".lambda-url." + req.region() + ".on.aws/")
                .put("FunctionArn", arn(f, req)).put("AuthType", f.urlAuthType)
                .put("CreationTime", "2026-01-01T00:00:00.000+0000").put("LastModifiedTime", "2026-01-01T00:00:00.000+0000");
    }

    private static String group(Pattern pattern, String path) {
        Matcher m = pattern.matcher(path);
        if (!m.matches()) {
            throw new AwsError(404, "ResourceNotFoundException", path);
        }
        return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    }

    private static Model.Function function(Model.Region r, Request req, String nameOrArn) {
        String name = nameOrArn.startsWith("arn:") ? nameOrArn.split(":")[6] : nameOrArn;
        return r.functions.stream().filter(f -> f.name.equals(name)).findFirst()
                .orElseThrow(() -> new AwsError(404, "ResourceNotFoundException", "Function not found: arn:aws:lambda:"
                        + req.region() + ":" + req.account() + ":function:" + name));
    }
}
