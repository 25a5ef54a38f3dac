package dev.fixgate.app.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A compliance framework the playbooks map to ({@code compliance:} in each playbook.yaml), with how its control ids
 * are written as OSCAL tokens. OSCAL control ids are NCNames (a letter first, no parentheses): NIST 800-53 and the
 * FedRAMP baselines follow NIST's OSCAL catalog ({@code SC-12(1)} → {@code sc-12.1}); NIST publishes no OSCAL
 * catalog of 800-171 rev. 2, so its requirements get a prefix ({@code 3.8.9} → {@code sp800-171-3.8.9}); CMMC
 * practices are NCNames already and are lower-cased like the others; a statement part ({@code AC-21(b)}) names its
 * control ({@code ac-21}). The id as the framework writes it is kept
 * beside the token (an OSCAL {@code label}).
 */
public enum Framework {
    NIST_800_53("nist-800-53", "nist_800_53_rev5", "NIST SP 800-53 Rev. 5"),
    NIST_800_171("nist-800-171", "nist_800_171_rev2", "NIST SP 800-171 Rev. 2"),
    CMMC_L2("cmmc-l2", "cmmc_2_l2", "CMMC 2.0 Level 2"),
    FEDRAMP("fedramp", "fedramp", "FedRAMP baseline (NIST SP 800-53 Rev. 5 controls)");

    private final String id;
    private final String playbookKey;
    private final String title;

    Framework(String id, String playbookKey, String title) {
        this.id = id;
        this.playbookKey = playbookKey;
        this.title = title;
    }

    /** The id on the command line and in the report: {@code nist-800-53}, … */
    public String id() {
        return id;
    }

    /** The key under a playbook's {@code compliance:}. */
    public String playbookKey() {
        return playbookKey;
    }

    public String title() {
        return title;
    }

    /** The control id as an OSCAL token (see the class comment). */
    public String oscalId(String control) {
        String lower = control.trim().toLowerCase(Locale.ROOT);
        String id = switch (this) {
            // an enhancement (n) becomes .n; a statement part (b) names the control it belongs to
            case NIST_800_53, FEDRAMP -> lower.replaceAll("\\((\\d+)\\)", ".$1").replaceAll("\\([a-z]\\)", "");
            case NIST_800_171 -> "sp800-171-" + lower;
            case CMMC_L2 -> lower;
        };
        // whatever a playbook says, the result is an NCName
        id = id.replaceAll("[^\\p{L}\\p{N}._-]", "_");
        return id.isEmpty() || !Character.isLetter(id.charAt(0)) && id.charAt(0) != '_' ? "_" + id : id;
    }

    public static Optional<Framework> of(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id) || f.playbookKey.equals(id)).findFirst();
    }
}
