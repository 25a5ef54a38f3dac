package dev.fixgate.provider.aws.evidence;

import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB: whether a table's resource policy ({@code GetResourcePolicy} on the table's ARN) grants principals of other
 * accounts access — an Allow statement naming another account's id or IAM/STS ARN, or {@code *} not pinned to the
 * table's account by {@code aws:PrincipalAccount} ({@link Policies#otherAccounts}). A table without a policy
 * ({@code PolicyNotFoundException}) is not shared; a table that does not exist is unavailable. The policies of the
 * table's streams are not read.
 */
final class DynamoDbCollector extends AwsCollector {

    static final String CROSS_ACCOUNT = "dynamodb.cross_account_access";

    DynamoDbCollector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.dynamodb";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(CROSS_ACCOUNT);
    }

    @Override
    Set<AwsTarget.Type> types() {
        return Set.of(AwsTarget.Type.DYNAMODB_TABLE);
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(read("dynamodb:GetResourcePolicy", "GetResourcePolicy", "the table's resource policy"));
    }

    /** Whether the table exists, and its policy (empty when it has none). */
    private record Lookup(boolean exists, String policy) {
    }

    private static String arn(Ctx ctx) {
        return !ctx.target.arn().isEmpty() ? ctx.target.arn()
                : "arn:" + ctx.target.partition() + ":dynamodb:" + ctx.region() + ":" + ctx.account() + ":table/" + ctx.target.id();
    }

    private Lookup lookup(Ctx ctx) {
        DynamoDbClient ddb = clients.dynamoDb(ctx.account(), ctx.region());
        String arn = arn(ctx);
        return ctx.memo("dynamodb-policy", () -> {
            try {
                String policy = ctx.call("dynamodb:GetResourcePolicy", () -> ddb.getResourcePolicy(b -> b.resourceArn(arn)
                        .overrideConfiguration(ctx.budget::apply))).policy();
                return new Lookup(true, policy == null ? "" : policy);
            } catch (AwsServiceException e) {
                return switch (Failures.code(e)) {
                    case "PolicyNotFoundException" -> new Lookup(true, "");
                    case "ResourceNotFoundException" -> new Lookup(false, "");
                    default -> throw new Unavailable(Failures.describe(e, "dynamodb:GetResourcePolicy", ctx.budget),
                            "dynamodb:GetResourcePolicy");
                };
            }
        });
    }

    @Override
    boolean presentIn(Ctx ctx) {
        return lookup(ctx).exists();
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
        if (!CROSS_ACCOUNT.equals(kind)) {
            throw new Unavailable("not answered by " + id(), "");
        }
        Lookup l = lookup(ctx);
        if (!l.exists()) {
            throw new Unavailable("the table " + ctx.target.id() + " does not exist in " + ctx.region(), "dynamodb:GetResourcePolicy");
        }
        boolean shared;
        try {
            shared = !l.policy().isBlank() && !Policies.otherAccounts(l.policy(), ctx.account()).isEmpty();
        } catch (Unavailable u) {
            throw new Unavailable("the table's resource policy is not valid JSON", "dynamodb:GetResourcePolicy");
        }
        return ctx.value(kind, shared, "dynamodb:GetResourcePolicy");
    }
}
