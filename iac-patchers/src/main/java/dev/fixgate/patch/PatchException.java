package dev.fixgate.patch;

import dev.fixgate.spi.error.FixgateException;
import dev.fixgate.spi.error.SourceLocation;

/**
 * Bad input to the patchers: a file that does not parse, a binary or oversized file, a path outside the
 * repository, an operation built with wrong parameters. Always carries a stable code and, where there is one,
 * the file:line at fault. Nothing has been written when this is thrown.
 */
public final class PatchException extends FixgateException {

    private static final long serialVersionUID = 1L;

    public static final String PARSE_ERROR = "patch.parse-error";
    public static final String BINARY_FILE = "patch.binary-file";
    public static final String FILE_TOO_LARGE = "patch.file-too-large";
    public static final String PATH_OUTSIDE_REPO = "patch.path-outside-repo";
    public static final String SYMLINK_OUTSIDE_REPO = "patch.symlink-outside-repo";
    public static final String IO_ERROR = "patch.io-error";
    public static final String PARAM_INVALID = "patch.param-invalid";
    public static final String UNKNOWN_OPERATION = "patch.unknown-operation";

    public PatchException(String code, String message, SourceLocation location) {
        super(code, message, location);
    }

    public PatchException(String code, String message, SourceLocation location, Throwable cause) {
        super(code, message, location, cause);
    }
}
