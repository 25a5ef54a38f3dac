package dev.fixgate.provider.aws.evidence;

import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns SDK failures into the one-line reasons an unavailable observation carries (no secrets, no stack traces). */
final class Failures {

    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
            "AuthorizationError", "AuthorizationErrorException", "UnauthorizedException", "Forbidden",
            "InvalidClientTokenId", "ExpiredToken", "ExpiredTokenException", "UnrecognizedClientException", "AuthFailure",
            "OptInRequired", "SignatureDoesNotMatch");

    private Failures() {
    }

    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
    }

    /** Errors no collector handles: refused, throttled past the retries, failing on the service's side. */
    static boolean fatal(AwsServiceException e) {
        return DENIED.contains(code(e)) || e.isThrottlingException() || e.statusCode() == 403 || e.statusCode() == 401
                || e.statusCode() >= 500;
    }

    /** An opt-in region the account has not enabled answers like bad credentials. */
    static boolean regionDisabled(AwsServiceException e) {
        String c = code(e);
        return c.equals("AuthFailure") || c.equals("UnrecognizedClientException") || c.equals("OptInRequired")
                || c.equals("InvalidClientTokenId") || e.statusCode() == 401 && c.isEmpty();
    }

    static String describe(SdkException e, String action, AwsCollector.Budget budget) {
        String on = action.isEmpty() ? "" : " on " + action;
        if (e instanceof ApiCallTimeoutException) {
            return "timed out" + on + ": the evidence budget of " + budget.total().toSeconds()
                    + " s ran out (slow answers or throttling retried until then)";
        }
        if (e instanceof ApiCallAttemptTimeoutException) {
            return "timed out" + on;
        }
        if (e instanceof AwsServiceException s) {
            String code = code(s);
            String service = s.awsErrorDetails() == null ? "" : String.valueOf(s.awsErrorDetails().serviceName());
            if (service.equalsIgnoreCase("sts") && !action.startsWith("sts:")) {
                // The role could not be assumed: the credentials provider failed before the call was made.
                return (code.isEmpty() ? "AccessDenied" : code) + " on sts:AssumeRole (the account's evidence role), before "
                        + action;
            }
            if (s.isThrottlingException()) {
                return "throttled" + on + " (" + code + ") beyond the retries the budget allows";
            }
            if (DENIED.contains(code) || s.statusCode() == 403) {
                return (code.isEmpty() ? "AccessDenied" : code) + on;
            }
            String message = s.awsErrorDetails() == null ? "" : s.awsErrorDetails().errorMessage();
            return (code.isEmpty() ? "HTTP " + s.statusCode() : code) + on
                    + (message == null || message.isBlank() ? "" : ": " + oneLine(message));
        }
        return "could not reach AWS" + on + ": " + oneLine(String.valueOf(e.getMessage()));
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ").strip();
        int cut = t.indexOf(" (Service:");
        if (cut > 0) {
            t = t.substring(0, cut);
        }
        return t.length() > 200 ? t.substring(0, 200) + "…" : t;
    }
}
