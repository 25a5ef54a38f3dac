package dev.fixgate.app.pipeline;

/** Repository content an attacker can commit, for the tests that prove it costs only itself. */
final class HostileInputs {

    private HostileInputs() {
    }

    /** "Billion laughs" in a CloudFormation template: nine levels of nine aliases, 9^9 nodes from about 1 KB. */
    static String aliasBomb() {
        StringBuilder sb = new StringBuilder("AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  a0: &a0 [lol]\n");
        for (int i = 1; i <= 9; i++) {
            sb.append("  a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                sb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            sb.append("]\n");
        }
        sb.append("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: *a9\n");
        return sb.toString();
    }
}
