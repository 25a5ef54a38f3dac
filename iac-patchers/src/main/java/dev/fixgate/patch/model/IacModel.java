package dev.fixgate.patch.model;

import dev.fixgate.spi.iac.IacFormat;
import dev.fixgate.spi.iac.SourceFile;
import java.util.List;

/**
 * The resources of IaC files as plain data ({@link ModelResource}): what declarative conditions (a playbook's
 * {@code detect}) evaluate and what the blast radius counts. Read-only: edits are the operations' job.
 * Parse errors are {@link dev.fixgate.patch.PatchException}s with the file and line.
 */
public final class IacModel {

    private IacModel() {
    }

    /** Every {@code resource} block of one module, given its {@code .tf} files and the {@code .tfvars} that set it. */
    public static List<ModelResource> terraform(List<SourceFile> moduleFiles) {
        return new TerraformModel(moduleFiles).resources();
    }

    /** Every resource of one template. */
    public static List<ModelResource> cloudFormation(SourceFile template) {
        return CloudFormationModel.resources(template.path(), template.text(),
                template.format() == IacFormat.CLOUDFORMATION_JSON);
    }
}
