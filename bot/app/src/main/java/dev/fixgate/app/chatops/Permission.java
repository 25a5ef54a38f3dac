package dev.fixgate.app.chatops;

import java.util.Locale;

/**
 * What a command asks of the person who gives it, in GitHub's repository roles (read &lt; triage &lt; write &lt;
 * maintain &lt; admin), or {@link #REVIEWER}: an authorised reviewer of the repository's fixes, by the same rules as
 * an approving review ({@code reviewers} in {@code .github/fixgate.yml}).
 */
public enum Permission {
    READ, TRIAGE, WRITE, MAINTAIN, ADMIN, REVIEWER;

    /** The role GitHub's collaborator permission API names ({@code role_name}: read, triage, write, maintain, admin). */
    public static Permission ofRole(String role) {
        return switch (role == null ? "" : role.toLowerCase(Locale.ROOT)) {
            case "admin" -> ADMIN;
            case "maintain" -> MAINTAIN;
            case "write", "push" -> WRITE;
            case "triage" -> TRIAGE;
            default -> READ;
        };
    }

    /** Whether a person with role {@code held} has this permission (never for REVIEWER: that is decided elsewhere). */
    public boolean grantedBy(Permission held) {
        return this != REVIEWER && held != REVIEWER && held.ordinal() >= ordinal();
    }

    /** As help and replies name it. */
    public String describe() {
        return this == REVIEWER ? "an authorised reviewer" : name().toLowerCase(Locale.ROOT) + " access";
    }
}
