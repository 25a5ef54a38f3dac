package dev.fixgate.spi.plan;

import java.util.List;
import java.util.Objects;

/** How to undo a remediation once merged: a summary and the steps, in order, for the PR body. */
public record Rollback(String summary, List<String> steps) {

    public Rollback {
        Objects.requireNonNull(summary, "summary");
        steps = List.copyOf(steps);
    }
}
