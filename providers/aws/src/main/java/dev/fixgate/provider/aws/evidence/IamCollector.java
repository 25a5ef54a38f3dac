package dev.fixgate.provider.aws.evidence;

import dev.fixgate.spi.evidence.EvidenceKinds;
import dev.fixgate.spi.evidence.Observed;
import dev.fixgate.spi.evidence.ReadAction;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.ListUsersResponse;
import software.amazon.awssdk.services.iam.model.User;

/**
 * IAM: how many users can sign in to the console ({@code ListUsers}, every page, and {@code GetLoginProfile} for each
 * — a login profile is a console password), and when a role was last used ({@code GetRole}'s {@code RoleLastUsed},
 * which IAM tracks for 400 days).
 */
final class IamCollector extends AwsCollector {

    static final String CONSOLE_USERS = "iam.console_users";

    IamCollector(AwsClients clients) {
        super(clients);
    }

    @Override
    public String id() {
        return "aws.iam";
    }

    @Override
    public Set<String> kinds() {
        return Set.of(CONSOLE_USERS, EvidenceKinds.LAST_ACTIVITY_DAYS);
    }

    @Override
    Set<AwsTarget.Type> types() {
        return Set.of(AwsTarget.Type.ACCOUNT, AwsTarget.Type.IAM_ROLE, AwsTarget.Type.IAM_USER);
    }

    @Override
    public List<ReadAction> reads() {
        return List.of(
                read("iam:ListUsers", "ListUsers", "the account's users"),
                read("iam:GetLoginProfile", "GetLoginProfile", "whether a user has a console password"),
                read("iam:GetRole", "GetRole", "when a role was last used"));
    }

    @Override
    Observed observe(String kind, Ctx ctx) {
        IamClient iam = clients.iam(ctx.account());
        if (kind.equals(CONSOLE_USERS)) {
            long count = 0;
            String marker = null;
            do {
                String m = marker;
                ListUsersResponse page = ctx.call("iam:ListUsers", () -> iam.listUsers(b -> b.marker(m)
                        .overrideConfiguration(ctx.budget::apply)));
                for (User u : page.users()) {
                    if (ctx.optional("iam:GetLoginProfile", () -> iam.getLoginProfile(b -> b.userName(u.userName())
                            .overrideConfiguration(ctx.budget::apply)), "NoSuchEntity").isPresent()) {
                        count++;
                    }
                }
                marker = Boolean.TRUE.equals(page.isTruncated()) ? page.marker() : null;
            } while (marker != null);
            return ctx.value(kind, count, "iam:ListUsers, iam:GetLoginProfile");
        }
        if (ctx.target.type() != AwsTarget.Type.IAM_ROLE) {
            throw new Unavailable("IAM activity is read for roles only", "");
        }
        var role = ctx.optional("iam:GetRole", () -> iam.getRole(b -> b.roleName(ctx.target.id())
                        .overrideConfiguration(ctx.budget::apply)).role(), "NoSuchEntity")
                .orElseThrow(() -> new Unavailable("the role " + ctx.target.id() + " does not exist", "iam:GetRole"));
        if (role.roleLastUsed() == null || role.roleLastUsed().lastUsedDate() == null) {
            throw new Unavailable("the role was not used in the 400 days IAM tracks", "iam:GetRole");
        }
        return ctx.value(kind, Duration.between(role.roleLastUsed().lastUsedDate(), ctx.now()).toDays(), "iam:GetRole");
    }
}
