package dev.fixgate.patch.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.openrewrite.InMemoryExecutionContext;
import org.openrewrite.PrintOutputCapture;
import org.openrewrite.hcl.HclIsoVisitor;
import org.openrewrite.hcl.HclParser;
import org.openrewrite.hcl.internal.HclPrinter;
import org.openrewrite.hcl.tree.Hcl;

class SllParseTest {

    /** Every Terraform file of the corpora (KICS, TerraGoat) parses in SLL mode into rewrite-hcl's own LL tree. */
    @Test
    void theCorporaParseInSllModeIntoTheTreeRewriteHclBuilds() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of("src/test/resources/corpus"))) {
            files = s.filter(p -> p.toString().endsWith(".tf")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(150);
        for (Path f : files) {
            String text = Files.readString(f);
            Hcl.ConfigFile sll = SllParse.parse(text).orElseThrow(() -> new AssertionError(f + " needed LL"));
            Hcl.ConfigFile ll = (Hcl.ConfigFile) HclParser.builder().build()
                    .parse(new InMemoryExecutionContext(e -> {
                        throw new AssertionError(e);
                    }), text).findFirst().orElseThrow();
            assertThat(print(sll)).as(f.toString()).isEqualTo(text);
            assertThat(shape(sll)).as(f.toString()).isEqualTo(shape(ll));
        }
    }

    @Test
    void invalidTextIsLeftToRewriteHclsOwnParse() {
        assertThat(SllParse.parse("resource \"a\" \"b\" {\n  y = = 2\n}\n")).isEmpty();
        assertThat(SllParse.parse("resource \"a\" \"b\" {\n  y = 2\n")).isEmpty();
        assertThat(SllParse.parse("resource \"a\" \"b\" {\n  y = 2 ` \n}\n")).isEmpty(); // the lexer skips '`'
    }

    @Test
    void textsRewriteHclReadsThroughItsEncodingDetectionTakeItsPath() {
        assertThat(SllParse.parse("\uFEFFx = 1\n")).isEmpty();
        assertThat(SllParse.parse("x = \"\uD800\"\n")).isEmpty();
        assertThat(SllParse.parse("x = \"caf\u00e9 \uD83D\uDE00\"\n")).isEmpty(); // a surrogate pair: its path, to be sure
        assertThat(SllParse.parse("x = \"caf\u00e9\"\n")).isPresent();
    }

    @Test
    void heredocsTemplatesAndForExpressionsParseAsRewriteHclParsesThem() {
        List<String> texts = List.of(
                "p = <<-EOT\n  {\"a\": \"${var.x}\"}\nEOT\n",
                "names = [for s in var.list : upper(s) if s != \"\"]\n",
                "m = { for k, v in var.map : k => v }\n",
                "m = { for k, v in var.map : k => v... }\n",
                "t = \"a-%{if var.b}yes%{else}no%{endif}\"\n",
                "c = var.a ? 1 : -2 * 3\n",
                "s = aws_instance.web[*].id\n",
                "d = { a = 1, \"b\" = [1, 2,], c = { d = null } }\n");
        for (String text : texts) {
            List<Throwable> errors = new ArrayList<>();
            Hcl.ConfigFile ll = (Hcl.ConfigFile) HclParser.builder().build()
                    .parse(new InMemoryExecutionContext(errors::add), text).findFirst().orElseThrow();
            if (!errors.isEmpty()) {
                assertThat(SllParse.parse(text)).as(text).isEmpty(); // what rewrite-hcl rejects (%{if}) goes to it
                continue;
            }
            SllParse.parse(text).ifPresentOrElse(
                    sll -> assertThat(shape(sll)).as(text).isEqualTo(shape(ll)),
                    () -> assertThat(HclDocument.parse("t.tf", text).text()).as(text).isEqualTo(text));
        }
    }

    private static String print(Hcl.ConfigFile cf) {
        PrintOutputCapture<Integer> out = new PrintOutputCapture<>(0);
        new HclPrinter<Integer>().visit(cf, out);
        return out.getOut();
    }

    /** Each node's kind and printed text, in tree order. */
    private static List<String> shape(Hcl.ConfigFile cf) {
        List<String> out = new ArrayList<>();
        new HclIsoVisitor<List<String>>() {
            @Override
            public Hcl preVisit(Hcl tree, List<String> acc) {
                PrintOutputCapture<Integer> p = new PrintOutputCapture<>(0);
                new HclPrinter<Integer>().visit(tree, p);
                acc.add(tree.getClass().getSimpleName() + ":" + p.getOut());
                return tree;
            }
        }.visit(cf, out);
        return out;
    }
}
