package dev.fixgate.app.verify;

import dev.fixgate.patch.model.IacModel;
import dev.fixgate.patch.model.ModelResource;
import dev.fixgate.playbooks.Detector;
import dev.fixgate.playbooks.Playbook;
import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.SourceFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Step 1: the playbook's {@code detect} passes on the merged default branch. Every resource of the fix's files that
 * the playbook covers and that the fix left compliant (detect on the files as fixgate proposed them) must still be
 * compliant in the files read at the merge commit — a fix edited before the merge, reverted or overwritten since
 * fails here. Resources of the same files that the fix did not make compliant (left to their owners) are not its
 * business.
 */
public final class CodeCheck {

    private final Detector detector;

    public CodeCheck(Detector detector) {
        this.detector = Objects.requireNonNull(detector, "detector");
    }

    /**
     * @param proposed path → text of the files the fix wrote (the proposal's)
     * @param merged   path → text at the merge commit of every IaC file in the directories of the fix's files (a
     *                 Terraform module is its directory); a fix file missing here was deleted since
     * @param params   the playbook's parameters as the repository sets them
     */
    public VerifyStep check(Playbook playbook, Map<String, String> proposed, Map<String, String> merged,
                            Map<String, Object> params) {
        List<String> lines = new ArrayList<>();
        boolean failed = false;
        int checked = 0;
        for (String path : proposed.keySet().stream().sorted().toList()) {
            if (!merged.containsKey(path)) {
                lines.add(path + ": not on the default branch at the merge commit");
                failed = true;
                continue;
            }
            Map<String, String> intended = new LinkedHashMap<>(merged);
            intended.putAll(proposed);
            List<ModelResource> before;
            List<ModelResource> after;
            try {
                before = model(path, intended);
                after = model(path, merged);
            } catch (RuntimeException e) {
                lines.add(path + ": does not parse at the merge commit: " + firstLine(e.getMessage()));
                failed = true;
                continue;
            }
            for (ModelResource fixed : before) {
                if (!fixed.file().equals(path) || !covers(playbook, fixed)
                        || !(detector.evaluate(playbook, fixed, before, params) instanceof Detector.Result.Compliant)) {
                    continue;
                }
                checked++;
                ModelResource now = after.stream().filter(m -> m.file().equals(path)
                        && m.address().equals(fixed.address())).findFirst().orElse(null);
                if (now == null) {
                    lines.add(path + ": " + fixed.address() + " is no longer there");
                    failed = true;
                    continue;
                }
                switch (detector.evaluate(playbook, now, after, params)) {
                    case Detector.Result.Compliant c -> lines.add(path + ": " + now.address() + " passes "
                            + playbook.id());
                    case Detector.Result.NonCompliant n -> {
                        lines.add(path + ": " + now.address() + " fails " + playbook.id() + " at the merge commit");
                        failed = true;
                    }
                    case Detector.Result.Error e -> {
                        lines.add(path + ": detect failed on " + now.address() + ": " + e.message());
                        failed = true;
                    }
                }
            }
        }
        if (failed) {
            return new VerifyStep(VerifyStep.CODE, VerifyStep.Status.FAILED, String.join("\n", lines));
        }
        if (checked == 0) {
            // fail closed: a fix whose files hold nothing it made compliant cannot be said to be in the code
            lines.add("no resource of " + playbook.id() + " in the fix's files passes detect as proposed");
            return new VerifyStep(VerifyStep.CODE, VerifyStep.Status.UNAVAILABLE, String.join("\n", lines));
        }
        return new VerifyStep(VerifyStep.CODE, VerifyStep.Status.PASSED, String.join("\n", lines));
    }

    /** The resources of {@code path}'s module (its directory's Terraform files) or template. */
    private static List<ModelResource> model(String path, Map<String, String> files) {
        IacFormat format = IacFormat.ofPath(path).orElseThrow(() -> new IllegalArgumentException(
                "not an IaC file: " + path));
        if (format == IacFormat.TERRAFORM) {
            String dir = dir(path);
            List<SourceFile> module = new ArrayList<>();
            files.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .filter(f -> dir(f.getKey()).equals(dir) && f.getKey().endsWith(".tf"))
                    .forEach(f -> module.add(new SourceFile(f.getKey(), f.getValue(), IacFormat.TERRAFORM)));
            return IacModel.terraform(module);
        }
        return IacModel.cloudFormation(new SourceFile(path, files.get(path), format));
    }

    static String dir(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    private static boolean covers(Playbook p, ModelResource r) {
        return p.appliesTo(r.format(), r.type());
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
