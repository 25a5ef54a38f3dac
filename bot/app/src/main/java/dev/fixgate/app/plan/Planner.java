package dev.fixgate.app.plan;

import dev.fixgate.app.PipelineStep;
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
 * Stage 5: applies a playbook's fix to one resource of a scanned repository, in memory ({@link #plan}), and puts
 * the fixes of several resources together ({@link #compose}). A fix is all or nothing, and it is kept only if the
 * resource then satisfies the playbook's {@code detect} (otherwise it is refused as unverified).
 *
 * <p>Each resource is planned once, on its own, against the checkout: the gate judges exactly the change that
 * fix makes, and the outcome does not depend on which other resources happen to be fixed in the same run.
 * {@link #compose} then merges the planned changes of the resources that share a pull request (a three-way
 * merge per file, the checkout as the base); only a fix whose lines overlap another's is applied again on top of
 * the merged text, and the result says so ({@link Item#rebased()}).
 */
public final class Planner {

    /** What happened to one resource. */
    public enum Status {
        PATCHED("patched", "changed"),
        ALREADY_COMPLIANT("already-compliant", "already_compliant"),
        CANNOT_PATCH("cannot-patch", "cannot_patch");

        private final String json;
        private final String decisionInput;

        Status(String json, String decisionInput) {
            this.json = json;
            this.decisionInput = decisionInput;
        }

        /** As {@code fixgate plan} prints it. */
        public String json() {
            return json;
        }

        /** As the gate's decision input names it ({@code patch.status}: changed, already_compliant, cannot_patch). */
        public String decisionInput() {
            return decisionInput;
        }
    }

    /**
     * The code of a PATCHED item whose fix declares an input (a Terraform {@code variable}, a template
     * {@code Parameter}) the repository must set: the fix is complete and validates, but is never SAFE.
     */
    public static final String DECLARES_INPUT = "plan.declares-input";

    /** One resource to fix with one playbook; {@code source} says why (a finding id, or "check"). */
    public record Request(Playbook playbook, RepoScan.Located target, String source) {
        public Request {
            Objects.requireNonNull(playbook, "playbook");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(source, "source");
        }
    }

    /** One changed file: its text before and after. */
    public record FileChange(String path, String before, String after) {
        public FileChange {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
        }
    }

    /**
     * The outcome for one request.
     *
     * @param code    for CANNOT_PATCH, the stable refusal code ({@code patch.value-from-variable}, ...); for PATCHED,
     *                empty or {@link #DECLARES_INPUT}
     * @param changes for PATCHED, every file the fix changed, in the order the fix wrote them
     * @param rebased whether {@link #compose} had to apply the fix again on top of other fixes (its lines overlapped)
     */
    public record Item(Request request, Status status, String code, String reason, String summary,
                       List<FileChange> changes, boolean rebased) {
        public Item {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(summary, "summary");
            changes = List.copyOf(changes);
        }

        /** The diff this fix alone makes, per changed file. */
        public List<UnifiedDiff.FileDiff> diffs() {
            return changes.stream().map(c -> UnifiedDiff.of(c.path(), c.before(), c.after())).toList();
        }

        /** The unified diff of this fix alone. */
        public String diff() {
            StringBuilder sb = new StringBuilder();
            diffs().forEach(d -> sb.append(d.text()));
            return sb.toString();
        }

        public int added() {
            return diffs().stream().mapToInt(UnifiedDiff.FileDiff::added).sum();
        }

        public int removed() {
            return diffs().stream().mapToInt(UnifiedDiff.FileDiff::removed).sum();
        }
    }

    /**
     * Fixes put together: every item as composed (a fix that could not be put together with the others is
     * CANNOT_PATCH with {@code plan.overlapping-fixes}), plus every changed file's original and final text.
     */
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
        this.fixer = Objects.requireNonNull(fixer, "fixer");
        this.detector = Objects.requireNonNull(detector, "detector");
    }

    public static Planner standard() {
        return new Planner(Fixer.standard(), new Detector());
    }

    /**
     * Plans one resource's fix against the checkout as scanned. Never throws: a refusal, and a bug in an operation,
     * are CANNOT_PATCH with a code.
     *
     * @param params the playbook's parameters as the repository sets them
     */
    @PipelineStep
    public Item plan(Request request, Map<String, Object> params) {
        return apply(request, params, Map.of());
    }

    /**
     * The planned fixes of several resources in one change: PATCHED items are merged file by file onto the
     * checkout's text in order. Identical changes are made once; a fix whose lines overlap a change already taken
     * is applied again to the merged text (and marked {@link Item#rebased()}), and is CANNOT_PATCH
     * ({@code plan.overlapping-fixes}) when that does not verify. Other items are passed through.
     *
     * <p>A fix reads and writes only its resource's module (its file and the module's other files): the items of
     * modules that share no file are put together on their own, in parallel, each in its order — the same result
     * as one pass over all of them, as no item of one module sees the text of another.
     */
    public Result compose(List<Item> items, Map<String, Map<String, Object>> paramsByPlaybook) {
        List<List<Integer>> parts = independentParts(items);
        if (parts.size() < 2) {
            return composeInOrder(items, paramsByPlaybook);
        }
        List<Result> composed = parts.parallelStream()
                .map(part -> composeInOrder(part.stream().map(items::get).toList(), paramsByPlaybook)).toList();
        // each item back in its place; the parts' files are disjoint, so their texts simply add up
        List<Item> out = new ArrayList<>(items);
        Map<String, String> originals = new LinkedHashMap<>();
        Map<String, String> changed = new LinkedHashMap<>();
        for (int p = 0; p < parts.size(); p++) {
            for (int i = 0; i < parts.get(p).size(); i++) {
                out.set(parts.get(p).get(i), composed.get(p).items().get(i));
            }
            originals.putAll(composed.get(p).originals());
            changed.putAll(composed.get(p).changed());
        }
        return new Result(out, originals, changed);
    }

    /**
     * The positions of the PATCHED items, grouped so that no two groups touch a common file (a resource's file, its
     * module's other files, the files its fix changed), each group in the items' order; other items are in none.
     */
    private static List<List<Integer>> independentParts(List<Item> items) {
        Map<String, Integer> partOfFile = new java.util.HashMap<>();
        List<Integer> parent = new ArrayList<>();
        List<Integer> partOfItem = new ArrayList<>();
        for (Item item : items) {
            if (item.status() != Status.PATCHED) {
                partOfItem.add(-1);
                continue;
            }
            int part = parent.size();
            parent.add(part);
            List<String> files = new ArrayList<>();
            files.add(item.request().target().file().path());
            item.request().target().context().forEach(f -> files.add(f.path()));
            item.changes().forEach(c -> files.add(c.path()));
            for (String f : files) {
                Integer other = partOfFile.putIfAbsent(f, part);
                if (other != null) {
                    parent.set(root(parent, other), root(parent, part)); // union: they share a file
                }
            }
            partOfItem.add(part);
        }
        Map<Integer, List<Integer>> parts = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            if (partOfItem.get(i) >= 0) {
                parts.computeIfAbsent(root(parent, partOfItem.get(i)), k -> new ArrayList<>()).add(i);
            }
        }
        return List.copyOf(parts.values());
    }

    private static int root(List<Integer> parent, int i) {
        while (parent.get(i) != i) {
            i = parent.get(i);
        }
        return i;
    }

    /** {@link #compose} in one pass, item after item. */
    private Result composeInOrder(List<Item> items, Map<String, Map<String, Object>> paramsByPlaybook) {
        Map<String, String> originals = new LinkedHashMap<>();
        Map<String, String> working = new LinkedHashMap<>();
        List<Item> out = new ArrayList<>();
        for (Item item : items) {
            if (item.status() != Status.PATCHED) {
                out.add(item);
                continue;
            }
            Map<String, String> merged = new LinkedHashMap<>();
            boolean clean = true;
            for (FileChange c : item.changes()) {
                String base = originals.getOrDefault(c.path(), c.before());
                if (!base.equals(c.before())) {
                    clean = false; // planned against another text of the file: only a re-application is honest
                    break;
                }
                Optional<String> m = TextMerge.merge(base, working.getOrDefault(c.path(), base), c.after());
                if (m.isEmpty()) {
                    clean = false;
                    break;
                }
                merged.put(c.path(), m.get());
            }
            Map<String, Object> params = paramsByPlaybook.getOrDefault(item.request().playbook().id(), Map.of());
            if (clean && verify(item.request(), after(item.request(), working, merged), params).isEmpty()) {
                item.changes().forEach(c -> originals.putIfAbsent(c.path(), c.before()));
                working.putAll(merged);
                out.add(item);
                continue;
            }
            Item again = apply(item.request(), params, working);
            if (again.status() == Status.PATCHED) {
                // its changes are relative to the merged text it was applied to; the originals stay the checkout's
                item.changes().forEach(c -> originals.putIfAbsent(c.path(), c.before()));
                again.changes().forEach(c -> originals.putIfAbsent(c.path(), checkoutText(item.request(), c.path())));
                again.changes().forEach(c -> working.put(c.path(), c.after()));
                out.add(new Item(again.request(), again.status(), again.code(), again.reason(), again.summary(),
                        again.changes(), true));
            } else {
                out.add(new Item(item.request(), Status.CANNOT_PATCH, "plan.overlapping-fixes",
                        "the fix overlaps another fix in the same change and could not be applied on top of it ("
                                + (again.reason().isEmpty() ? again.status().json() : again.reason()) + ")",
                        item.summary(), List.of(), false));
            }
        }
        Map<String, String> changed = new LinkedHashMap<>();
        working.forEach((p, t) -> {
            if (!t.equals(originals.get(p))) {
                changed.put(p, t);
            }
        });
        return new Result(out, originals, changed);
    }

    /** Applies the fix to the resource's files as {@code working} has them (the checkout's text where it has none). */
    private Item apply(Request r, Map<String, Object> params, Map<String, String> working) {
        try {
            return one(r, params, working);
        } catch (FixgateException e) {
            return new Item(r, Status.CANNOT_PATCH, e.code(), e.getMessage(), "", List.of(), false);
        } catch (RuntimeException e) {
            // a bug in an operation must not take the other resources down with it
            return new Item(r, Status.CANNOT_PATCH, "plan.internal-error", String.valueOf(e), "", List.of(), false);
        }
    }

    private Item one(Request r, Map<String, Object> params, Map<String, String> working) {
        ModelResource res = r.target().resource();
        SourceFile file = current(r.target().file(), working);
        List<SourceFile> context = r.target().context().stream().map(f -> current(f, working)).toList();
        PatchResult result = fixer.apply(r.playbook(), res.format(), file, new ResourceSelector.ByAddress(res.address()),
                new PatchContext(context), params, res.type());
        return switch (result) {
            case PatchResult.CannotPatch c -> new Item(r, Status.CANNOT_PATCH, c.code(), c.reason()
                    + (c.location().line() > 0 ? " (" + c.location() + ")" : ""), "", List.of(), false);
            case PatchResult.AlreadyCompliant a -> {
                // The fix's guards and the playbook's detect must agree: a resource detect fails is never called
                // compliant because the fix found nothing it knows how to change; it is refused, saying so.
                Optional<String> failing = working.isEmpty() ? verify(r, module(r, working), params) : Optional.empty();
                yield failing.isPresent()
                        ? new Item(r, Status.CANNOT_PATCH, "plan.fix-finds-nothing", "detect fails " + res.address()
                                + " for " + r.playbook().id() + ", but the fix finds nothing it can change ("
                                + a.reason() + "); a person must fix it", "", List.of(), false)
                        : new Item(r, Status.ALREADY_COMPLIANT, "", a.reason(), "", List.of(), false);
            }
            case PatchResult.Changed c -> {
                List<SourceFile> after = new ArrayList<>();
                after.add(new SourceFile(file.path(), c.text(), file.format()));
                for (SourceFile f : context) {
                    after.add(c.otherFiles().stream().filter(o -> o.path().equals(f.path())).findFirst().orElse(f));
                }
                Optional<String> unverified = verify(r, after, params);
                if (unverified.isPresent()) {
                    yield new Item(r, Status.CANNOT_PATCH, "plan.fix-not-verified", unverified.get(), c.summary(),
                            List.of(), false);
                }
                Map<String, String> beforeTexts = new LinkedHashMap<>();
                beforeTexts.put(file.path(), file.text());
                context.forEach(f -> beforeTexts.put(f.path(), f.text()));
                Map<String, String> afterTexts = new LinkedHashMap<>();
                after.forEach(f -> afterTexts.put(f.path(), f.text()));
                List<String> unresolved = References.unresolved(beforeTexts, afterTexts);
                if (!unresolved.isEmpty()) {
                    // never a fix that does not validate: the playbook must declare what it refers to, or the
                    // repository must set the value (playbooks.<id>.params)
                    yield new Item(r, Status.CANNOT_PATCH, "plan.unresolved-reference", unresolved.getFirst()
                            + "; set playbooks." + r.playbook().id() + ".params in .github/fixgate.yml", c.summary(),
                            List.of(), false);
                }
                List<String> declared = References.declaredInputs(beforeTexts, afterTexts);
                List<FileChange> changes = new ArrayList<>();
                if (!c.text().equals(file.text())) {
                    changes.add(new FileChange(file.path(), file.text(), c.text()));
                }
                for (SourceFile o : c.otherFiles()) {
                    SourceFile before = context.stream().filter(f -> f.path().equals(o.path())).findFirst()
                            .orElseThrow(() -> new FixgateException("plan.outside-module",
                                    "the fix changed " + o.path() + ", which is not part of the resource's module"));
                    if (!o.text().equals(before.text())) {
                        changes.add(new FileChange(o.path(), before.text(), o.text()));
                    }
                }
                yield declared.isEmpty() ? new Item(r, Status.PATCHED, "", "", c.summary(), changes, false)
                        : new Item(r, Status.PATCHED, DECLARES_INPUT, "the fix declares " + String.join(", ", declared)
                                + " without a default: the repository must give its value", c.summary(), changes, false);
            }
        };
    }

    /** The resource's own file and its module context as {@code working} has them. */
    private static List<SourceFile> module(Request r, Map<String, String> working) {
        List<SourceFile> out = new ArrayList<>();
        out.add(current(r.target().file(), working));
        r.target().context().forEach(f -> out.add(current(f, working)));
        return out;
    }

    /** The checkout's text of {@code path}, one of the request's files. */
    private static String checkoutText(Request r, String path) {
        if (r.target().file().path().equals(path)) {
            return r.target().file().text();
        }
        return r.target().context().stream().filter(f -> f.path().equals(path)).map(SourceFile::text).findFirst()
                .orElseThrow(() -> new IllegalStateException(path + " is not one of " + r.target().resource().address()
                        + "'s files"));
    }

    /** The resource's own file and module context with {@code texts} (path → text) laid over {@code working}. */
    private static List<SourceFile> after(Request r, Map<String, String> working, Map<String, String> texts) {
        List<SourceFile> out = new ArrayList<>();
        out.add(overlay(current(r.target().file(), working), texts));
        r.target().context().forEach(f -> out.add(overlay(current(f, working), texts)));
        return out;
    }

    private static SourceFile overlay(SourceFile f, Map<String, String> texts) {
        String t = texts.get(f.path());
        return t == null ? f : new SourceFile(f.path(), t, f.format());
    }

    /** Re-reads the patched files and re-runs detect on the resource: empty when it now passes. */
    private Optional<String> verify(Request r, List<SourceFile> files, Map<String, Object> params) {
        ModelResource res = r.target().resource();
        List<ModelResource> model;
        try {
            model = res.format().equals(Playbook.TERRAFORM)
                    ? IacModel.terraform(files.stream().filter(f -> !f.path().endsWith(".tfvars.json")).toList())
                    : IacModel.cloudFormation(files.get(0));
        } catch (RuntimeException e) {
            return Optional.of("after the fix " + res.file() + " no longer parses: " + e.getMessage());
        }
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
}
