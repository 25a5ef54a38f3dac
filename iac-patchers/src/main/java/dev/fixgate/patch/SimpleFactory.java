package dev.fixgate.patch;

import dev.fixgate.spi.iac.PatchOperation;
import java.util.function.Function;

/**
 * The usual {@link OperationFactory}: an id, a description and a function from params to operation. Subclass it
 * with a public no-argument constructor so {@link java.util.ServiceLoader} can create it.
 */
public abstract class SimpleFactory implements OperationFactory {

    private final String id;
    private final String description;
    private final Function<Params, PatchOperation> create;

    protected SimpleFactory(String id, String description, Function<Params, PatchOperation> create) {
        this.id = id;
        this.description = description;
        this.create = create;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final PatchOperation create(Params params) {
        PatchOperation op = create.apply(params);
        if (!op.id().equals(id)) {
            throw new IllegalStateException("factory " + id + " built an operation with id " + op.id());
        }
        return op;
    }
}
