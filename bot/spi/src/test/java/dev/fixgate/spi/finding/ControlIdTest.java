package dev.fixgate.spi.finding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ControlIdTest {

    @Test
    void canonicalIdsAreDottedLowerCase() {
        assertThat(ControlId.canonical("aws.s3.bucket.public_access_block").isMapped()).isTrue();
        assertThatThrownBy(() -> ControlId.canonical("S3.8")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ControlId.canonical("aws")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownToolIdsAreKeptAsUnmapped() {
        ControlId id = ControlId.unmapped("securityhub", "Foo.99");
        assertThat(id.value()).isEqualTo("unmapped:securityhub:Foo.99");
        assertThat(id.isMapped()).isFalse();
        assertThatThrownBy(() -> new ControlId("unmapped:onlytool")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void severityReadsCommonSpellingsAndOrdersCriticalFirst() {
        assertThat(Severity.parse("Informational")).contains(Severity.INFO);
        assertThat(Severity.parse(" MODERATE ")).contains(Severity.MEDIUM);
        assertThat(Severity.parse("error")).contains(Severity.HIGH);
        assertThat(Severity.parse("sev1")).isEmpty();
        assertThat(Severity.LOW.max(Severity.CRITICAL)).isEqualTo(Severity.CRITICAL);
        assertThat(Severity.HIGH.max(Severity.MEDIUM)).isEqualTo(Severity.HIGH);
    }
}
