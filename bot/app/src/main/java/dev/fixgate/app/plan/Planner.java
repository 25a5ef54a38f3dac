package dev.fixgate.app.plan;

import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.patch.model.IacModel;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.playbooks.Detector;
import dev.fixgate.playbooks.Fixer;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Stage 6: applies playbooks' fixes to resources of a scanned repository, in memory. Requests are applied in
 * order to a working copy, so two fixes to the same file compose; each fix is all or nothing, and a fix is kept
 * only if the resource then satisfies the playbook's {@code detect} (otherwise it is refused as unverified).
 */
public final class Planner {

    /** What happened to one resource. */
    public enum Status {
        PATCHED("patched"), ALREADY_COMPLIANT("already-compliant"), CANNOT_PATCH("cannot-patch");

        private final String json;

        Status(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }
    }

    /** One resource to fix with one playbook; {@code source} says why (a finding id, or "check"). */
    public record Request(Playbook playbook, RepoScan.Located target, String source) {
        public Request {
            Objects.requireNonNull(playbook, "playbook");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(source, "source");
        }
    }

    /**
     * The outcome for one request.
     *
     * @param code    for CANNOT_PATCH, the stable refusal code ({@code patch.value-from-variable}, ...)
     * @param diffs   the diff this fix alone made, per changed file
     */
    public record Item(Request request, Status status, String code, String reason, String summary,
                       List<UnifiedDiff.FileDiff> diffs) {
        public Item {
            diffs = List.copyOf(diffs);
        }

        public int added() {
            return diffs.stream().mapToInt(UnifiedDiff.FileDiff::added).sum();
        }

        public int removed() {
            return diffs.stream().mapToInt(UnifiedDiff.FileDiff::removed).sum();
        }
    }

    /** All items, plus every changed file's original and final text. */
    public record Result(List<Item> items, Map<String, String> originals, Map<String, String> changed) {
        public Result {
            items = List.copyOf(items);
            originals = Map.copyOf(originals);
            changed = Map.copyOf(changed);
        }

        /** The unified diff of every changed file, original → final, in path order. */
        public String diff() {
            StringBuilder sb = new StringBuilder();
            changed.keySet().stream().sorted().forEach(p -> sb.append(UnifiedDiff.of(p, originals.get(p), changed.get(p)).text()));
            return sb.toString();
        }
    }

    private final Fixer fixer;
    private final Detector detector;

    public Planner(Fixer fixer, Detector detector) {
        this.fixer = fixer;
        this.detector = detector;
    }

    public static Planner standard() {
        return new Planner(Fixer.standard(), new Detector());
    }

    public Result plan(List<Request> requests, Map<String, Map<String, Object>> paramsByPlaybook) {
        Map<String, String> working = new LinkedHashMap<>();
        Map<String, String> originals = new LinkedHashMap<>();
        List<Item> items = new ArrayList<>();
        for (Request r : requests) {
            Map<String, Object> params = paramsByPlaybook.getOrDefault(r.playbook().id(), Map.of());
            try {
                items.add(one(r, params, working, originals));
            } catch (FixgateException e) {
                items.add(new Item(r, Status.CANNOT_PATCH, e.code(), e.getMessage(), "", List.of()));
            } catch (RuntimeException e) {
                // a bug in an operation must not take the other resources down with it
                items.add(new Item(r, Status.CANNOT_PATCH, "plan.internal-error", String.valueOf(e), "", List.of()));
            }
        }
        Map<String, String> changed = new LinkedHashMap<>();
        working.forEach((p, t) -> {
            if (!t.equals(originals.get(p))) {
                changed.put(p, t);
            }
        });
        return new Result(items, originals, changed);
    }

    private Item one(Request r, Map<String, Object> params, Map<String, String> working, Map<String, String> originals) {
        ModelResource res = r.target().resource();
        SourceFile file = current(r.target().file(), working);
        List<SourceFile> context = r.target().context().stream().map(f -> current(f, working)).toList();
        PatchResult result = fixer.apply(r.playbook(), res.format(), file, new ResourceSelector.ByAddress(res.address()),
                new PatchContext(context), params);
        return switch (result) {
            case PatchResult.CannotPatch c -> new Item(r, Status.CANNOT_PATCH, c.code(), c.reason()
                    + (c.location().line() > 0 ? " (" + c.location() + ")" : ""), "", List.of());
            case PatchResult.AlreadyCompliant a -> new Item(r, Status.ALREADY_COMPLIANT, "", a.reason(), "", List.of());
            case PatchResult.Changed c -> {
                List<SourceFile> after = new ArrayList<>();
                after.add(new SourceFile(file.path(), c.text(), file.format()));
                for (SourceFile f : context) {
                    after.add(c.otherFiles().stream().filter(o -> o.path().equals(f.path())).findFirst().orElse(f));
                }
                Optional<String> unverified = verify(r, after, params);
                if (unverified.isPresent()) {
                    yield new Item(r, Status.CANNOT_PATCH, "plan.fix-not-verified", unverified.get(), c.summary(), List.of());
                }
                List<UnifiedDiff.FileDiff> diffs = new ArrayList<>();
                diffs.add(UnifiedDiff.of(file.path(), file.text(), c.text()));
                commit(file, c.text(), working, originals);
                for (SourceFile o : c.otherFiles()) {
                    SourceFile before = context.stream().filter(f -> f.path().equals(o.path())).findFirst()
                            .orElseThrow(() -> new FixgateException("plan.outside-module",
                                    "the fix changed " + o.path() + ", which is not part of the resource's module"));
                    diffs.add(UnifiedDiff.of(o.path(), before.text(), o.text()));
                    commit(before, o.text(), working, originals);
                }
                yield new Item(r, Status.PATCHED, "", "", c.summary(), diffs);
            }
        };
    }

    /** Re-reads the patched files and re-runs detect on the resource: empty when it now passes. */
    private Optional<String> verify(Request r, List<SourceFile> files, Map<String, Object> params) {
        ModelResource res = r.target().resource();
        List<ModelResource> model = res.format().equals(Playbook.TERRAFORM)
                ? IacModel.terraform(files.stream().filter(f -> !f.path().endsWith(".tfvars.json")).toList())
                : IacModel.cloudFormation(files.get(0));
        Optional<ModelResource> again = model.stream().filter(m -> m.address().equals(res.address())
                && m.file().equals(res.file())).findFirst();
        if (again.isEmpty()) {
            return Optional.of("after the fix " + res.address() + " is no longer in " + res.file());
        }
        Detector.Result d = detector.evaluate(r.playbook(), again.get(), model, params);
        return switch (d) {
            case Detector.Result.Compliant c -> Optional.empty();
            case Detector.Result.NonCompliant n -> Optional.of("after the fix " + res.address()
                    + " still does not satisfy " + r.playbook().id());
            case Detector.Result.Error e -> Optional.of("detect failed on the fixed " + res.address() + ": " + e.message());
        };
    }

    private static SourceFile current(SourceFile f, Map<String, String> working) {
        String t = working.get(f.path());
        return t == null ? f : new SourceFile(f.path(), t, f.format());
    }

    private static void commit(SourceFile before, String after, Map<String, String> working, Map<String, String> originals) {
        originals.putIfAbsent(before.path(), before.text());
        working.put(before.path(), after);
    }
}
