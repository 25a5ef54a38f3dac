package dev.fixgate.patch;

import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.PatchContext;
import dev.fixgate.spi.iac.ResourceSelector;
import dev.fixgate.spi.iac.SourceFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * What {@link Guarded} reads from a target before it lets an operation run: a top-level attribute's literal value,
 * and the companion resources that point at it. Each format package implements it ({@code terraform.TfTargets},
 * {@code cloudformation.CfnTargets}) and registers it with {@link ServiceLoader}, so this package (the operations'
 * common ground) never depends on a format package — the formats depend on it.
 */
public interface TargetReader {

    /** The formats this reader understands. */
    Set<IacFormat> formats();

    /** The literal value of the target's top-level attribute ({@code <expr>} for an expression); empty when absent. */
    Optional<String> attribute(SourceFile file, ResourceSelector target, String name);

    /**
     * The literal attributes of each {@code type} resource that points at the target's owner; empty when the format
     * has no companions or there is none.
     */
    List<Map<String, String>> companions(SourceFile file, ResourceSelector target, PatchContext context, String type,
                                         String ownerAttribute);

    /** The registered reader for {@code format}. */
    static TargetReader of(IacFormat format) {
        return Registered.READERS.stream().filter(r -> r.formats().contains(format)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no TargetReader registered for " + format
                        + " (META-INF/services/" + TargetReader.class.getName() + ")"));
    }

    /** The readers on the class path, loaded once. */
    final class Registered {
        static final List<TargetReader> READERS = ServiceLoader.load(TargetReader.class, TargetReader.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get).toList();

        private Registered() {
        }
    }
}
