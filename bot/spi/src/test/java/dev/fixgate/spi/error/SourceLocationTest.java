package dev.fixgate.spi.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceLocationTest {

    @Test
    void printsOnlyWhatIsKnown() {
        assertThat(SourceLocation.of("a.json")).hasToString("a.json");
        assertThat(SourceLocation.at("fixgate.yml", 3)).hasToString("fixgate.yml:3");
        assertThat(SourceLocation.at("fixgate.yml", 3, 7)).hasToString("fixgate.yml:3:7");
        assertThat(SourceLocation.at("f.json", 2).withPointer("/Findings/0")).hasToString("f.json:2 (/Findings/0)");
    }

    @Test
    void exceptionsPrintLocationMessageAndCode() {
        var e = new FixgateException("config.unknown-key", "unknown key 'mdoe'", SourceLocation.at(".github/fixgate.yml", 2, 1));
        assertThat(e).hasToString(".github/fixgate.yml:2:1: unknown key 'mdoe' [config.unknown-key]");
        assertThat(new FixgateException("x.y", "m").location()).isEmpty();
    }
}
