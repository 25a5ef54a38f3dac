package dev.fixgate.app.group;

import dev.fixgate.spi.finding.Cloud;
import dev.fixgate.spi.finding.CloudResource;
import dev.fixgate.spi.finding.CodeResource;
import dev.fixgate.spi.finding.ResourceRef;

/**
 * The scope part of an initiative: what findings of one control must share to be fixed by one pull request.
 * Before locate, a cloud finding's owning code is unknown, so cloud findings are grouped by account; code
 * findings are grouped by repository and module (the directory holding the file).
 */
public final class Scopes {

    private Scopes() {
    }

    private record AccountScope(Cloud cloud, String account) {
    }

    /**
     * An object equal for two resources exactly when their {@link #of scopes} are equal, cheaper to build than the
     * scope text (grouping compares one per finding).
     */
    static Object key(ResourceRef resource) {
        return resource instanceof CloudResource r ? new AccountScope(r.cloud(), r.account()) : of(resource);
    }

    public static String of(ResourceRef resource) {
        return switch (resource) {
            case CloudResource r -> "account:" + r.cloud().id() + ":" + (r.account().isEmpty() ? "unknown" : r.account());
            case CodeResource r -> {
                int slash = r.path().lastIndexOf('/');
                String module = slash < 0 ? "." : r.path().substring(0, slash);
                yield "repo:" + (r.repo().isEmpty() ? "unknown" : r.repo()) + ":" + module;
            }
        };
    }
}
