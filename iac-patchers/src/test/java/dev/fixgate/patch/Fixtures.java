package dev.fixgate.patch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.PatchOperation;
import dev.fixgate.spi.iac.PatchResult;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.util.Map;

/** Helpers shared by the operation tests: build an operation from params and apply it. */
public final class Fixtures {

    public static final OperationRegistry REGISTRY = OperationRegistry.load();

    private Fixtures() {
    }

    public static PatchOperation op(String id, Map<String, ?> params) {
        return REGISTRY.create(id, params);
    }

    public static SourceFile tf(String text) {
        return new SourceFile("main.tf", text, IacFormat.TERRAFORM);
    }

    public static SourceFile file(String path, String text) {
        return new SourceFile(path, text, IacFormat.ofPath(path).orElseThrow());
    }

    public static PatchResult apply(PatchOperation op, SourceFile f, ResourceSelector s) {
        return op.apply(f, s, PatchContext.none());
    }

    /** Applies and expects a change; also checks the operation is idempotent on its own output. */
    public static String changed(PatchOperation op, SourceFile f, ResourceSelector s, PatchContext ctx) {
        PatchResult r = op.apply(f, s, ctx);
        assertThat(r).as("result of %s", op.id()).isInstanceOf(PatchResult.Changed.class);
        String out = ((PatchResult.Changed) r).text();
        PatchResult again = op.apply(new SourceFile(f.path(), out, f.format()), s, ctx);
        assertThat(again).as("re-applying %s to its own output", op.id()).isInstanceOf(PatchResult.AlreadyCompliant.class);
        return out;
    }

    public static String changed(PatchOperation op, SourceFile f, ResourceSelector s) {
        return changed(op, f, s, PatchContext.none());
    }

    public static ResourceSelector addr(String a) {
        return new ResourceSelector.ByAddress(a);
    }
}
