package dev.fixgate.spi.iac;

import java.util.Objects;

/**
 * The code that owns a cloud resource.
 *
 * @param repo    repository, {@code owner/name}
 * @param path    file path relative to the repository root
 * @param lines   the resource block's lines
 * @param address Terraform resource address or CloudFormation logical id
 * @param format  file format
 */
public record IacLocation(String repo, String path, LineRange lines, String address, IacFormat format) {

    public IacLocation {
        Objects.requireNonNull(repo, "repo");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(lines, "lines");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(format, "format");
    }

    /** {@code owner/name:path#L3-L9}, the way GitHub links to lines. */
    @Override
    public String toString() {
        return repo + ":" + path + "#" + lines;
    }
}
