package dev.fixgate.app.prevent.guardrail;

import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import dev.fixgate.spi.finding.Cloud;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Renders the catalog's guardrails — each playbook's preventive control per cloud, carried as data in its
 * {@code guardrail:} — for a target, exactly as {@code fixgate guardrails} prints them and {@link GuardrailDelivery}
 * commits them: AWS SCPs packed per target ({@link AwsScpRenderer}), Azure Policy definitions and assignments
 * ({@link AzurePolicyRenderer}), GCP organisation policies ({@link GcpOrgPolicyRenderer}). Pure: no I/O.
 */
public final class GuardrailRenderer {

    private final PlaybookCatalog catalog;

    public GuardrailRenderer(PlaybookCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /** Whether {@code playbook} carries a guardrail for {@code cloud}. */
    public static boolean hasGuardrail(Playbook playbook, Cloud cloud) {
        return switch (cloud) {
            case AWS -> playbook.guardrail().awsScp().isPresent();
            case AZURE -> playbook.guardrail().azurePolicy().isPresent();
            case GCP -> playbook.guardrail().gcpOrgPolicy().isPresent();
            case UNKNOWN -> false;
        };
    }

    /** Every playbook with a guardrail for {@code cloud}, by id. */
    public List<Playbook> withGuardrail(Cloud cloud) {
        return catalog.all().stream().filter(p -> hasGuardrail(p, cloud)).sorted(Comparator.comparing(Playbook::id))
                .toList();
    }

    /** Whether the catalog has playbook {@code id} (a manifest may name one a later catalog dropped). */
    public boolean known(String id) {
        return catalog.byId(id).isPresent();
    }

    /** The catalog's playbook {@code id}. */
    public Playbook playbook(String id) {
        return catalog.byId(id).orElseThrow(() -> new GuardrailException("guardrail.unknown-playbook",
                "no playbook '" + id + "' in the catalog (fixgate playbooks list)"));
    }

    /**
     * The guardrails of {@code playbookIds} for {@code target}, as delivered. Playbooks without a guardrail for the
     * target's cloud are listed in {@link RenderedGuardrails#skipped()} with what their guardrail description says
     * to do instead.
     *
     * @throws GuardrailException for an unknown playbook, guardrail data the renderer does not accept (located in
     *         the playbook), a parameter the JSON format needs, or SCPs over the quotas
     */
    public RenderedGuardrails render(GuardrailTarget target, Collection<String> playbookIds, GuardrailOptions options) {
        List<Playbook> with = new ArrayList<>();
        List<RenderedGuardrails.Skipped> skipped = new ArrayList<>();
        for (String id : new TreeSet<>(playbookIds)) {
            Playbook p = playbook(id);
            if (hasGuardrail(p, target.cloud())) {
                with.add(p);
            } else {
                skipped.add(new RenderedGuardrails.Skipped(id, p.guardrail().description()));
            }
        }
        return switch (target.cloud()) {
            case AWS -> AwsScpRenderer.render(target, with, skipped, options);
            case AZURE -> AzurePolicyRenderer.render(target, with, skipped, options);
            case GCP -> GcpOrgPolicyRenderer.render(target, with, skipped, options);
            case UNKNOWN -> throw new IllegalArgumentException("no guardrails for an unknown cloud");
        };
    }

    /**
     * Every guardrail the catalog has for {@code target}'s cloud, as delivered; the cloud's playbooks without one are
     * listed as skipped.
     */
    public RenderedGuardrails renderAll(GuardrailTarget target, GuardrailOptions options) {
        TreeSet<String> ids = new TreeSet<>(withGuardrail(target.cloud()).stream().map(Playbook::id).toList());
        catalog.all().stream().filter(p -> p.cloud() == target.cloud()).forEach(p -> ids.add(p.id()));
        return render(target, ids, options);
    }
}
