package dev.fixgate.provider.aws.evidence;

import dev.fixgate.provider.common.resource.Arn;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.ListAttachedRolePoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListRolePoliciesResponse;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlConfig;
import software.amazon.awssdk.services.lambda.model.GetFunctionConfigurationResponse;
import software.amazon.awssdk.services.lambda.model.ListFunctionUrlConfigsResponse;

/**
 * Lambda: whether a function has a function URL with authorization {@code NONE} ({@code ListFunctionUrlConfigs},
 * every page, so an alias's URL counts too), and whether its execution role may write X-Ray traces
 * ({@code lambda.role_allows_xray_put}): the role from {@code GetFunctionConfiguration}, its identity policies
 * (attached managed policies' default versions, inline policies) and its permissions boundary, evaluated for
 * {@code xray:PutTraceSegments} and {@code xray:PutTelemetryRecords} ({@link Policies#identityAllows}). Service control
 * policies are not readable from the account and are not considered. Who invokes a function from outside the account
 * comes from CloudTrail data events ({@link TrailTrafficCollector}).
 */
final class LambdaCollector extends AwsCollector {

    static final String URL_AUTH_NONE = "lambda.function_url_auth_none";
    static final String XRAY = "lambda.role_allows_xray_put";
    static final List<String> XRAY_ACTIONS = List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords");
    /** Pages of attached or inline policies read at most (IAM allows 20 attached and a 10 KB inline total). */
    static final int MAX_PAGES = 10;

    LambdaCollector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.lambda";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(URL_AUTH_NONE, XRAY);
    }

    @Override
    Set<AwsTarget.Type> types() {
        return Set.of(AwsTarget.Type.LAMBDA_FUNCTION);
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(
                read("lambda:GetFunction", "GetFunction", "find the function when its region is not known"),
                read("lambda:ListFunctionUrlConfigs", "ListFunctionUrlConfigs", "the function's URLs and their auth type"),
                read("lambda:GetFunctionConfiguration", "GetFunctionConfiguration", "the function's execution role"),
                read("iam:GetRole", "GetRole", "the execution role's permissions boundary"),
                read("iam:ListAttachedRolePolicies", "ListAttachedRolePolicies", "the managed policies attached to the role"),
                read("iam:GetPolicy", "GetPolicy", "a managed policy's default version"),
                read("iam:GetPolicyVersion", "GetPolicyVersion", "a managed policy's document"),
                read("iam:ListRolePolicies", "ListRolePolicies", "the role's inline policies"),
                read("iam:GetRolePolicy", "GetRolePolicy", "an inline policy's document"));
    }

    @Override
    boolean presentIn(Ctx ctx) {
        LambdaClient lambda = clients.lambda(ctx.account(), ctx.region());
        return ctx.optional("lambda:GetFunction", () -> lambda.getFunction(b -> b.functionName(ctx.target.id())
                .overrideConfiguration(ctx.budget::apply)), "ResourceNotFoundException").isPresent();
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
        return kind.equals(XRAY) ? xray(kind, ctx) : urlAuthNone(kind, ctx);
    }

    private Observed urlAuthNone(String kind, Ctx ctx) {
        LambdaClient lambda = clients.lambda(ctx.account(), ctx.region());
        boolean none = false;
        String marker = null;
        do {
            String m = marker;
            ListFunctionUrlConfigsResponse r = ctx.optional("lambda:ListFunctionUrlConfigs", () -> lambda.listFunctionUrlConfigs(b -> b
                            .functionName(ctx.target.id()).marker(m).overrideConfiguration(ctx.budget::apply)), "ResourceNotFoundException")
                    .orElseThrow(() -> new Unavailable("the function " + ctx.target.id() + " does not exist in " + ctx.region(),
                            "lambda:ListFunctionUrlConfigs"));
            for (FunctionUrlConfig c : r.functionUrlConfigs()) {
                none |= "NONE".equals(c.authTypeAsString());
            }
            marker = r.nextMarker();
        } while (marker != null && !marker.isEmpty());
        return ctx.value(kind, none, "lambda:ListFunctionUrlConfigs");
    }

    private Observed xray(String kind, Ctx ctx) {
        LambdaClient lambda = clients.lambda(ctx.account(), ctx.region());
        GetFunctionConfigurationResponse fn = ctx.optional("lambda:GetFunctionConfiguration", () -> lambda.getFunctionConfiguration(b -> b
                        .functionName(ctx.target.id()).overrideConfiguration(ctx.budget::apply)), "ResourceNotFoundException")
                .orElseThrow(() -> new Unavailable("the function " + ctx.target.id() + " does not exist in " + ctx.region(),
                        "lambda:GetFunctionConfiguration"));
        Arn role = Arn.parse(fn.role() == null ? "" : fn.role()).filter(a -> a.resource().startsWith("role/"))
                .orElseThrow(() -> new Unavailable("the function's execution role is not a role ARN: " + fn.role(),
                        "lambda:GetFunctionConfiguration"));
        if (!role.account().equals(ctx.account())) {
            throw new Unavailable("the execution role " + role + " is in another account", "lambda:GetFunctionConfiguration");
        }
        String name = role.resource().substring(role.resource().lastIndexOf('/') + 1);
        IamClient iam = clients.iam(ctx.account());
        var got = ctx.optional("iam:GetRole", () -> iam.getRole(b -> b.roleName(name).overrideConfiguration(ctx.budget::apply)),
                        "NoSuchEntity")
                .orElseThrow(() -> new Unavailable("the execution role " + name + " does not exist", "iam:GetRole"));
        List<String> identity = new ArrayList<>();
        String marker = null;
        int pages = 0;
        do {
            String m = marker;
            ListAttachedRolePoliciesResponse r = ctx.call("iam:ListAttachedRolePolicies", () -> iam.listAttachedRolePolicies(b -> b
                    .roleName(name).marker(m).overrideConfiguration(ctx.budget::apply)));
            for (AttachedPolicy p : r.attachedPolicies()) {
                identity.add(managedPolicy(ctx, iam, p.policyArn()));
            }
            marker = Boolean.TRUE.equals(r.isTruncated()) ? r.marker() : null;
        } while (marker != null && ++pages < MAX_PAGES);
        if (marker != null) {
            throw new Unavailable("the role " + name + " has more attached policies than " + MAX_PAGES + " pages",
                    "iam:ListAttachedRolePolicies");
        }
        pages = 0;
        do {
            String m = marker;
            ListRolePoliciesResponse r = ctx.call("iam:ListRolePolicies", () -> iam.listRolePolicies(b -> b
                    .roleName(name).marker(m).overrideConfiguration(ctx.budget::apply)));
            for (String policy : r.policyNames()) {
                identity.add(decode(ctx.call("iam:GetRolePolicy", () -> iam.getRolePolicy(b -> b.roleName(name).policyName(policy)
                        .overrideConfiguration(ctx.budget::apply))).policyDocument()));
            }
            marker = Boolean.TRUE.equals(r.isTruncated()) ? r.marker() : null;
        } while (marker != null && ++pages < MAX_PAGES);
        if (marker != null) {
            throw new Unavailable("the role " + name + " has more policies than " + MAX_PAGES + " pages", "iam:ListRolePolicies");
        }
        var boundary = got.role().permissionsBoundary();
        List<String> bounds = boundary == null || boundary.permissionsBoundaryArn() == null ? List.of()
                : List.of(managedPolicy(ctx, iam, boundary.permissionsBoundaryArn()));
        boolean allowed = XRAY_ACTIONS.stream().allMatch(action -> Policies.identityAllows(identity, action)
                && (bounds.isEmpty() || Policies.identityAllows(bounds, action)));
        return ctx.value(kind, allowed, "lambda:GetFunctionConfiguration, iam:ListAttachedRolePolicies, iam:GetPolicyVersion,"
                + " iam:GetRolePolicy");
    }

    private static String managedPolicy(Ctx ctx, IamClient iam, String arn) {
        String version = ctx.call("iam:GetPolicy", () -> iam.getPolicy(b -> b.policyArn(arn)
                .overrideConfiguration(ctx.budget::apply))).policy().defaultVersionId();
        return decode(ctx.call("iam:GetPolicyVersion", () -> iam.getPolicyVersion(b -> b.policyArn(arn).versionId(version)
                .overrideConfiguration(ctx.budget::apply))).policyVersion().document());
    }

    /** IAM sends policy documents URL-encoded (RFC 3986); the SDK leaves them so. */
    static String decode(String document) {
        return URLDecoder.decode(document.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
