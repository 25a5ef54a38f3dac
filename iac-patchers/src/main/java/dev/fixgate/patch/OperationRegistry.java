package dev.fixgate.patch;

import dev.fixgate.spi.error.SourceLocation;
import dev.fixgate.spi.iac.PatchOperation;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The one place operations are registered: every {@link OperationFactory} on the class path, by id.
 * Playbooks resolve their {@code operations:} entries here.
 */
public final class OperationRegistry {

    private final SortedMap<String, OperationFactory> factories;

    private OperationRegistry(SortedMap<String, OperationFactory> factories) {
        this.factories = Collections.unmodifiableSortedMap(factories);
    }

    /** Loads the factories with {@link ServiceLoader}; two factories claiming one id is a packaging bug and fails. */
    public static OperationRegistry load() {
        return of(ServiceLoader.load(OperationFactory.class, OperationRegistry.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList());
    }

    public static OperationRegistry of(List<OperationFactory> list) {
        SortedMap<String, OperationFactory> m = new TreeMap<>();
        for (OperationFactory f : list) {
            OperationFactory prev = m.putIfAbsent(f.id(), f);
            if (prev != null) {
                throw new IllegalStateException("two operation factories claim id " + f.id() + ": "
                        + prev.getClass().getName() + " and " + f.getClass().getName());
            }
        }
        return new OperationRegistry(m);
    }

    public SortedMap<String, OperationFactory> factories() {
        return factories;
    }

    /** Builds operation {@code id} from {@code params}; unknown ids and bad params are {@link PatchException}s. */
    public PatchOperation create(String id, Map<String, ?> params) {
        OperationFactory f = factories.get(id);
        if (f == null) {
            throw new PatchException(PatchException.UNKNOWN_OPERATION,
                    "unknown patch operation '" + id + "'; known: " + factories.keySet(),
                    SourceLocation.of("operation " + id));
        }
        // Guards (unless, only_if, only_if_companion) are understood by every operation: the registry strips
        // them from the parameters and wraps the operation.
        Map<String, Object> rest = new LinkedHashMap<>(params);
        Guarded.KEYS.forEach(rest::remove);
        return Guarded.wrap(f.create(Params.of(id, rest)), Params.of(id, params), params);
    }
}
