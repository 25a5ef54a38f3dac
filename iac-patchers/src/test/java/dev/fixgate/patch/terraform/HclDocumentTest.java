package dev.fixgate.patch.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fixgate.patch.PatchException;
import org.junit.jupiter.api.Test;

class HclDocumentTest {

    private static final String TF = """
            # header comment
            resource "aws_s3_bucket" "logs" {
              bucket = "my-logs" # the name
              acl    = "private"

              versioning {
                enabled = false
              }
              tags = { Name = "x", Env = var.env }
              cidrs = ["0.0.0.0/0", "10.0.0.0/8"]
            }
            """;

    @Test
    void indexesBlocksAndAttributesWithExactSpans() {
        HclDocument doc = HclDocument.parse("main.tf", TF);
        Body.Block r = doc.blocks().get(0);
        assertThat(r.address()).isEqualTo("aws_s3_bucket.logs");
        assertThat(doc.slice(r.start(), r.start() + 8)).isEqualTo("resource");
        assertThat(TF.charAt(r.open())).isEqualTo('{');
        assertThat(TF.charAt(r.close())).isEqualTo('}');
        assertThat(doc.lineOf(r.start())).isEqualTo(2);
        assertThat(doc.lineOf(r.close())).isEqualTo(11);

        Body.Attribute bucket = r.attribute("bucket").orElseThrow();
        assertThat(doc.slice(bucket.start(), bucket.end())).isEqualTo("bucket = \"my-logs\"");
        assertThat(bucket.value()).isEqualTo(new Value.Literal("my-logs", "\"my-logs\""));

        Body.Block versioning = r.blocks("versioning").get(0);
        assertThat(versioning.attribute("enabled").orElseThrow().value()).isInstanceOf(Value.Literal.class);
        assertThat(((Value.Literal) versioning.attribute("enabled").orElseThrow().value()).text()).isEqualTo("false");

        Value.Object tags = (Value.Object) r.attribute("tags").orElseThrow().value();
        assertThat(tags.entries()).extracting(Body.Item::name).containsExactly("Name", "Env");
        assertThat(((Body.Attribute) tags.entries().get(1)).value()).isEqualTo(new Value.Reference("var", "env", "var.env"));

        Value.Tuple cidrs = (Value.Tuple) r.attribute("cidrs").orElseThrow().value();
        assertThat(cidrs.elements()).extracting(e -> doc.slice(e.start(), e.end())).containsExactly("\"0.0.0.0/0\"", "\"10.0.0.0/8\"");
    }

    @Test
    void unparsableFileIsATypedErrorWithFileLineAndColumn() {
        String bad = "resource \"a\" \"b\" {\n  x = 1\n}\n\nresource \"c\" \"d\" {\n  y = = 2\n}\n";
        assertThatThrownBy(() -> HclDocument.parse("bad.tf", bad)).isInstanceOfSatisfying(PatchException.class, e -> {
            assertThat(e.code()).isEqualTo(PatchException.PARSE_ERROR);
            assertThat(e.location().orElseThrow()).hasToString("bad.tf:6:7");
            assertThat(e.getMessage()).startsWith("cannot parse Terraform file: extraneous input '='");
        });
    }
}
