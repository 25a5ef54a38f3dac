package dev.fixgate.app.prevent;

import dev.fixgate.app.locate.RepoScan;
import dev.fixgate.playbooks.Detector;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.playbooks.PlaybookCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code fixgate check}: every primary playbook's {@code detect} over every resource of a repository it applies
 * to — the CI gate that stops a fixed problem from coming back. A condition that cannot be evaluated on a
 * resource is an error with its location, not a pass.
 */
public final class Checker {

    public enum Status { PASS, FAIL }

    public record Result(Playbook playbook, RepoScan.Located target, Status status) {
        public String file() {
            return target.resource().file();
        }

        public int line() {
            return target.resource().line();
        }

        public String resource() {
            return target.resource().address();
        }
    }

    /** {@code file:line: message [code]}. */
    public record Problem(String file, long line, String code, String message) {
        @Override
        public String toString() {
            return file + (line > 0 ? ":" + line : "") + ": " + message + " [" + code + "]";
        }
    }

    public record Report(List<Result> results, List<Problem> errors) {
        public Report {
            results = List.copyOf(results);
            errors = List.copyOf(errors);
        }

        public List<Result> failures() {
            return results.stream().filter(r -> r.status() == Status.FAIL).toList();
        }

        /** Only the results and errors in {@code files} (repository-relative paths): what a pull request changed. */
        public Report onlyFiles(java.util.Set<String> files) {
            return new Report(results.stream().filter(r -> files.contains(r.file())).toList(),
                    errors.stream().filter(e -> files.contains(e.file())).toList());
        }
    }

    private final PlaybookCatalog catalog;
    private final Detector detector;

    public Checker(PlaybookCatalog catalog, Detector detector) {
        this.catalog = catalog;
        this.detector = detector;
    }

    public Report check(RepoScan scan, Map<String, Map<String, Object>> paramsByPlaybook) {
        List<Result> results = new ArrayList<>();
        List<Problem> errors = new ArrayList<>();
        scan.problems().forEach(p -> errors.add(new Problem(p.file(), p.line(), p.code(), p.message())));
        List<Playbook> primaries = catalog.all().stream().filter(p -> p.variantOf().isEmpty()).toList();
        // each resource is checked on its own (detect reads, never writes): in parallel, reported in scan order
        List<Report> each = scan.resources().parallelStream().map(l -> check(l, primaries, paramsByPlaybook)).toList();
        for (Report r : each) {
            results.addAll(r.results());
            errors.addAll(r.errors());
        }
        return new Report(results, errors);
    }

    private Report check(RepoScan.Located l, List<Playbook> primaries, Map<String, Map<String, Object>> paramsByPlaybook) {
        List<Result> results = new ArrayList<>();
        List<Problem> errors = new ArrayList<>();
        for (Playbook p : primaries) {
            if (!p.appliesTo(l.resource().format(), l.resource().type())) {
                continue;
            }
            switch (detector.evaluate(p, l.resource(), l.siblings(), paramsByPlaybook.getOrDefault(p.id(), Map.of()))) {
                case Detector.Result.Compliant c -> results.add(new Result(p, l, Status.PASS));
                case Detector.Result.NonCompliant n -> results.add(new Result(p, l, Status.FAIL));
                case Detector.Result.Error e -> errors.add(new Problem(l.resource().file(), l.resource().line(),
                        "check.detect-error", p.id() + " on " + l.resource().address() + ": " + e.message()));
            }
        }
        return new Report(results, errors);
    }
}
