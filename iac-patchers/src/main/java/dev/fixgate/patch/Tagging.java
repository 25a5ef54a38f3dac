package dev.fixgate.patch;

import java.util.List;

/**
 * When the merge_tags operations leave a resource alone: with {@code skip_if_tagged: true}, a resource that already
 * has a tag whose key is not in {@code ignore_keys} (default {@code [Name]}) counts as tagged (KICS "resource not
 * using tags" accepts any tag but Name).
 *
 * @param skipIfTagged leave tagged resources alone
 * @param ignoreKeys   keys that do not make a resource "tagged"
 */
public record Tagging(boolean skipIfTagged, List<String> ignoreKeys) {

    public Tagging {
        ignoreKeys = List.copyOf(ignoreKeys);
    }

    /** Whether a resource with these tag keys is already tagged enough to be left alone. */
    public boolean satisfiedBy(List<String> keys) {
        return skipIfTagged && keys.stream().anyMatch(k -> !ignoreKeys.contains(k));
    }

    public static Tagging param(Params p) {
        boolean skip = p.bool("skip_if_tagged", false);
        return new Tagging(skip, p.has("ignore_keys") ? p.stringList("ignore_keys") : List.of("Name"));
    }

    @Override
    public String toString() {
        return skipIfTagged ? "skip if tagged beyond " + ignoreKeys : "always merge";
    }
}
