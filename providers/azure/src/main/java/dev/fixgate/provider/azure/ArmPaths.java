package dev.fixgate.provider.azure;

/** Resource ids as the SDK's {@code {resourceUri}} path templates expect them. */
final class ArmPaths {

    private ArmPaths() {
    }

    /**
     * The id without its leading slash: the templates put {@code {resourceUri}} right after the endpoint, which ends in
     * a slash, and a doubled slash makes the URL's path lose its first segment.
     */
    static String relative(String resourceId) {
        return resourceId.startsWith("/") ? resourceId.substring(1) : resourceId;
    }
}
