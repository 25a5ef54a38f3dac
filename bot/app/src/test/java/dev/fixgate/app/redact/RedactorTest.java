package dev.fixgate.app.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactorTest {

    // Example values from the issuers' documentation or made up, never real credentials.
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "access key AKIAIOSFODNN7EXAMPLE in user data | access key [REDACTED:aws-access-key-id] in user data",
            "bucket policy key_AKIAIOSFODNN7EXAMPLE leaked | bucket policy key_[REDACTED:aws-access-key-id] leaked",
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY | aws_secret_access_key = [REDACTED:aws-secret-access-key]",
            "the secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY alone | the secret [REDACTED:aws-secret-access-key] alone",
            "token ghp_Zx8Qw2Lp5Rt7Yu1Io3Pa6Sd9Fg4Hj0Kl2Mn7 leaked | token [REDACTED:github-pat] leaked",
            "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U | Authorization: Bearer [REDACTED:jwt]",
            "jdbc:postgresql://fixgate:hunter22@db:5432/x | jdbc:postgresql://fixgate:[REDACTED:url-password]@db:5432/x",
            "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw== | DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=[REDACTED:azure-storage-account-key]",
            "\"password\": \"correct-horse\" | \"password\": [REDACTED:hashicorp-tf-password]",
            "DB_PASSWORD=s3cr3t! and more | DB_PASSWORD=[REDACTED:password-assignment] and more",
            "slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx here | slack [REDACTED:slack-bot-token] here",
    })
    void replacesSecretsWithTheirRule(String input, String expected) {
        assertThat(Redactor.redact(input)).isEqualTo(expected);
    }

    @Test
    void removesWholeKeyBlocksPgpIncludedEvenWhenCutOff() {
        String pem = "key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabc\n-----END RSA PRIVATE KEY-----\nafter";
        assertThat(Redactor.redact(pem)).isEqualTo("key:\n[REDACTED:private-key]\nafter");
        assertThat(Redactor.redact("-----BEGIN PRIVATE KEY-----\nMIIE truncated"))
                .isEqualTo("[REDACTED:private-key]");
        String pgp = "found -----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQOYBF0bAAABCAC6\n=ab12\n"
                + "-----END PGP PRIVATE KEY BLOCK----- in a comment";
        assertThat(Redactor.redact(pgp)).isEqualTo("found [REDACTED:private-key] in a comment");
    }

    @Test
    void leavesOrdinaryTextAlone() {
        String text = "S3 bucket arn:aws:s3:::acme-logs should block public access (S3.8); author: alice; tokens: 3";
        assertThat(Redactor.redact(text)).isEqualTo(text);
        String commit = "squashed as 2e2467942a09ff0cfd45ff5c54eb65b7fd66e683 on main";
        assertThat(Redactor.redact(commit)).as("git object ids are not secrets").isEqualTo(commit);
        assertThat(Redactor.redact("")).isEmpty();
        assertThat(Redactor.redact(null)).isNull();
    }

    @Test
    void everyRuleOfTheSetCompilesAndTheSetIsGitleaksDefault() {
        SecretRules rules = SecretRules.standard();
        assertThat(rules.rules()).extracting(SecretRules.Rule::id).contains("aws-access-token", "generic-api-key",
                "github-pat", "private-key", "slack-bot-token", "zendesk-secret-key");
        // 218 gitleaks rules less the one about file names only (pkcs12-file), plus fixgate's six
        assertThat(rules.rules()).hasSize(217 + 6);
    }
}
