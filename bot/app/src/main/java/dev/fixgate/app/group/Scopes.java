package dev.fixgate.app.group;

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
