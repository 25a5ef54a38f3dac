package dev.fixgate.patch;

import java.util.List;
import java.util.Optional;

/** Parameters the two merge_tags operations share. */
public final class Tagging {

    private Tagging() {
    }

    /**
     * {@code skip_if_tagged: true} with {@code ignore_keys} (default {@code [Name]}): the tag keys that do not count
     * as "tagged". Empty when the operation should always merge.
     */
    public static Optional<List<String>> onlyIfUntagged(Params p) {
        if (!p.bool("skip_if_tagged", false)) {
            return Optional.empty();
        }
        return Optional.of(p.has("ignore_keys") ? p.stringList("ignore_keys") : List.of("Name"));
    }
}
