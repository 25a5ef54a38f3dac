package dev.fixgate.localaws;

import tools.jackson.databind.node.ObjectNode;

/**
 * Raw records as AWS writes them, for scenarios built in code: CloudTrail data events as a trail delivers them to
 * CloudWatch Logs, and VPC flow log records in the default format.
 */
public final class Events {

    private Events() {
    }

    /**
     * An S3 data event (CloudTrail record, event version 1.09). A request over TLS carries {@code tlsDetails}; one over
     * plain HTTP has none, which is how CloudTrail shows {@code aws:SecureTransport = false}.
     */
    public static String s3DataEvent(String account, String region, String bucket, String operation, boolean tls,
                                     String principalArn) {
        ObjectNode e = Wire.obj();
        e.put("eventVersion", "1.09");
        ObjectNode id = e.putObject("userIdentity");
        if (principalArn.isEmpty()) {
            id.put("type", "AnonymousPrincipal");
            id.put("principalId", "ANONYMOUS_PRINCIPAL");
        } else {
            String principalAccount = principalArn.split(":")[4];
            id.put("type", principalArn.contains(":user/") ? "IAMUser" : "AssumedRole");
            id.put("arn", principalArn);
            id.put("accountId", principalAccount);
            id.put("principalId", "AIDALOCAL" + Math.abs(principalArn.hashCode()));
        }
        e.put("eventSource", "s3.amazonaws.com");
        e.put("eventName", operation);
        e.put("awsRegion", region);
        e.put("sourceIPAddress", "203.0.113.10");
        e.put("userAgent", tls ? "aws-sdk-java/2.25.0" : "curl/7.29.0");
        ObjectNode rp = e.putObject("requestParameters");
        rp.put("bucketName", bucket);
        rp.put("Host", bucket + ".s3.amazonaws.com");
        rp.put("key", "path/file.bin");
        e.putNull("responseElements");
        ObjectNode extra = e.putObject("additionalEventData");
        extra.put("SignatureVersion", principalArn.isEmpty() ? "" : "SigV4");
        extra.put("AuthenticationMethod", principalArn.isEmpty() ? "" : "AuthHeader");
        if (tls) {
            extra.put("CipherSuite", "TLS_AES_128_GCM_SHA256");
        }
        e.put("requestID", "LOCALREQ");
        e.put("eventID", "00000000-0000-0000-0000-000000000000");
        e.put("readOnly", operation.startsWith("Get") || operation.startsWith("Head") || operation.startsWith("List"));
        var resources = e.putArray("resources");
        resources.addObject().put("type", "AWS::S3::Object").put("ARN", "arn:aws:s3:::" + bucket + "/path/file.bin");
        resources.addObject().put("accountId", account).put("type", "AWS::S3::Bucket").put("ARN", "arn:aws:s3:::" + bucket);
        e.put("eventType", "AwsApiCall");
        e.put("managementEvent", false);
        e.put("recipientAccountId", account);
        e.put("eventCategory", "Data");
        if (tls) {
            ObjectNode t = e.putObject("tlsDetails");
            t.put("tlsVersion", "TLSv1.3");
            t.put("cipherSuite", "TLS_AES_128_GCM_SHA256");
            t.put("clientProvidedHostHeader", bucket + ".s3.amazonaws.com");
        }
        return Wire.JSON.writeValueAsString(e);
    }

    /** A Lambda Invoke data event from {@code callerArn} (whose account may be another one). */
    public static String lambdaInvokeEvent(String account, String region, String function, String callerArn) {
        ObjectNode e = Wire.obj();
        e.put("eventVersion", "1.09");
        ObjectNode id = e.putObject("userIdentity");
        id.put("type", "AssumedRole");
        id.put("arn", callerArn);
        id.put("accountId", callerArn.split(":")[4]);
        e.put("eventSource", "lambda.amazonaws.com");
        e.put("eventName", "Invoke");
        e.put("awsRegion", region);
        e.putObject("requestParameters").put("functionName",
                "arn:aws:lambda:" + region + ":" + account + ":function:" + function);
        e.put("recipientAccountId", account);
        e.put("eventCategory", "Data");
        e.put("managementEvent", false);
        return Wire.JSON.writeValueAsString(e);
    }

    /** A VPC flow log record, default format (version 2). */
    public static String flowRecord(String account, String eni, String src, String dst, int srcPort, int dstPort,
                                    String action) {
        return "2 " + account + " " + eni + " " + src + " " + dst + " " + srcPort + " " + dstPort + " 6 10 840 "
                + "1700000000 1700000060 " + action + " OK";
    }
}
