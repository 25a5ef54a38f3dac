package dev.fixgate.patch;

import dev.fixgate.spi.iac.PatchOperation;

/**
 * Builds one kind of {@link PatchOperation} from a playbook's parameter map. Factories are discovered with
 * {@link java.util.ServiceLoader} (listed in {@code META-INF/services/dev.fixgate.patch.OperationFactory}), so
 * adding an operation is one class plus one registry line.
 */
public interface OperationFactory {

    /** The stable id playbooks use, e.g. {@code terraform.set_attribute}; equals the built operation's id. */
    String id();

    /** One line for catalog docs: what the operation does and its parameters. */
    String description();

    /** Validates {@code params} and builds the operation; throws {@link PatchException} (param-invalid) if they are wrong. */
    PatchOperation create(Params params);
}
