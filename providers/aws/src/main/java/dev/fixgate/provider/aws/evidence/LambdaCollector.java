package dev.fixgate.provider.aws.evidence;

import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.FunctionUrlConfig;
import software.amazon.awssdk.services.lambda.model.ListFunctionUrlConfigsResponse;

/**
 * Lambda: whether a function has a function URL with authorization {@code NONE} ({@code ListFunctionUrlConfigs},
 * every page, so an alias's URL counts too). Who invokes it from outside the account comes from CloudTrail data
 * events ({@link TrailTrafficCollector}).
 */
final class LambdaCollector extends AwsCollector {

    static final String URL_AUTH_NONE = "lambda.function_url_auth_none";

    LambdaCollector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.lambda";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(URL_AUTH_NONE);
    }

    @Override
    Set<AwsTarget.Type> types() {
        return Set.of(AwsTarget.Type.LAMBDA_FUNCTION);
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(
                read("lambda:GetFunction", "GetFunction", "find the function when its region is not known"),
                read("lambda:ListFunctionUrlConfigs", "ListFunctionUrlConfigs", "the function's URLs and their auth type"));
    }

    @Override
    boolean presentIn(Ctx ctx) {
        LambdaClient lambda = clients.lambda(ctx.account(), ctx.region());
        return ctx.optional("lambda:GetFunction", () -> lambda.getFunction(b -> b.functionName(ctx.target.id())
                .overrideConfiguration(ctx.budget::apply)), "ResourceNotFoundException").isPresent();
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
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
}
