package dev.fixgate.patch.terraform;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.openrewrite.hcl.internal.HclParserVisitor;
import org.openrewrite.hcl.internal.grammar.HCLLexer;
import org.openrewrite.hcl.internal.grammar.HCLParser;
import org.openrewrite.hcl.tree.Hcl;

/**
 * rewrite-hcl's parse, first in ANTLR's SLL prediction mode. rewrite-hcl parses in full LL mode, and its grammar
 * makes ANTLR fall back to full-context prediction (re-simulating the whole parser context) on most expressions: that
 * was a third of {@code fixgate plan}'s parse time, and parsing is most of plan's time. ANTLR documents that an SLL
 * parse either returns the same tree as LL would, or reports a syntax error ({@link PredictionMode#SLL}); so this runs
 * SLL with bail-out on the first error, and an empty result sends the caller to rewrite-hcl's own LL parse — which
 * then decides, with its own messages, whether the text is valid. The tree is built by rewrite-hcl's own visitor, as
 * its parser does; the caller still checks that it prints the text back byte for byte.
 */
final class SllParse {

    /** The tree carries a path; ours are checked against the caller's own (the document's), never this one. */
    private static final Path SOURCE = Path.of("file.tf");

    private SllParse() {
    }

    /** The tree, or empty when SLL is not enough (or the text is not valid): then parse with rewrite-hcl itself. */
    static Optional<Hcl.ConfigFile> parse(String text) {
        if (!plain(text)) {
            return Optional.empty();
        }
        Bail lexerErrors = new Bail();
        HCLLexer lexer = new HCLLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        lexer.addErrorListener(lexerErrors);
        HCLParser parser = new HCLParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.setErrorHandler(new BailErrorStrategy());
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        HCLParser.ConfigFileContext tree;
        try {
            tree = parser.configFile();
        } catch (ParseCancellationException e) {
            return Optional.empty();
        }
        if (lexerErrors.seen) {
            return Optional.empty();
        }
        Hcl parsed = new HclParserVisitor(SOURCE, text, StandardCharsets.UTF_8, false, null).visitConfigFile(tree);
        return parsed instanceof Hcl.ConfigFile cf ? Optional.of(cf) : Optional.empty();
    }

    /**
     * rewrite-hcl reads its input through an encoding-detecting stream (a byte-order mark is taken off, a lone
     * surrogate cannot round-trip through UTF-8): such texts take its own path, so they are judged exactly as before.
     */
    private static boolean plain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\uFEFF' || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** Remembers that the lexer met a character it cannot take (it would skip it and go on). */
    private static final class Bail extends BaseErrorListener {
        boolean seen;

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                                String msg, RecognitionException e) {
            seen = true;
        }
    }
}
