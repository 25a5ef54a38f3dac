package dev.fixgate.app.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactorTest {

    // Example values from the issuers' documentation, never real credentials.
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "access key AKIAIOSFODNN7EXAMPLE in user data | access key [REDACTED:aws-access-key-id] in user data",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY | aws_secret_access_key = [REDACTED:aws-secret-access-key]",
            "token ghp_abcdefghijklmnopqrstuvwxyz0123456789 leaked | token [REDACTED:github-token] leaked",
            "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U | Authorization: Bearer [REDACTED:jwt]",
            "jdbc:postgresql://fixgate:hunter22@db:5432/x | jdbc:postgresql://fixgate:[REDACTED:url-password]@db:5432/x",
            "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw== | DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=[REDACTED:azure-account-key]",
            "\"password\": \"correct-horse\" | \"password\": \"[REDACTED:secret]\"",
            "DB_PASSWORD=s3cr3t! and more | DB_PASSWORD=[REDACTED:secret] and more",
    })
    void replacesSecretsWithTheirKind(String input, String expected) {
        assertThat(Redactor.redact(input)).isEqualTo(expected);
    }

    @Test
    void removesWholePemBlocksEvenWhenCutOff() {
        String pem = "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabc\n-----END RSA PRIVATE KEY-----\nafter";
        assertThat(Redactor.redact(pem)).isEqualTo("key:\n[REDACTED:private-key]\nafter");
        assertThat(Redactor.redact("-----BEGIN PRIVATE KEY-----\nMIIE truncated"))
                .isEqualTo("[REDACTED:private-key]");
    }

    @Test
    void leavesOrdinaryTextAlone() {
        String text = "S3 bucket arn:aws:s3:::acme-logs should block public access (S3.8); author: alice; tokens: 3";
        assertThat(Redactor.redact(text)).isEqualTo(text);
        assertThat(Redactor.redact("")).isEmpty();
        assertThat(Redactor.redact(null)).isNull();
    }
}
