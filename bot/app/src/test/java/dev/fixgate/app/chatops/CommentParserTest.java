package dev.fixgate.app.chatops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fixgate.app.chatops.CommentParser.Parsed;
import dev.fixgate.app.wiring.Wiring;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The grammar of CommentParser's documentation, example by example, over the real command declarations. */
class CommentParserTest {

    private static final CommentParser PARSER;

    static {
        Map<String, ChatCommand> declared = new LinkedHashMap<>();
        Wiring.commands("fixgate").forEach(r -> declared.put(r.declaration().name(), r.declaration()));
        PARSER = new CommentParser("fixgate", declared, "HELP");
    }

    private static Parsed.Command command(String comment) {
        Parsed p = PARSER.parse(comment);
        assertThat(p).as(comment).isInstanceOf(Parsed.Command.class);
        return (Parsed.Command) p;
    }

    private static String reply(String comment) {
        Parsed p = PARSER.parse(comment);
        assertThat(p).as(comment).isInstanceOf(Parsed.Reply.class);
        return ((Parsed.Reply) p).text();
    }

    @Test
    void theCommandsAsWritten() {
        assertThat(command("/fixgate approve").name()).isEqualTo("approve");
        assertThat(command("@fixgate approve").name()).isEqualTo("approve");
        assertThat(command("@fixgate[bot] explain").name()).isEqualTo("explain");
        assertThat(command("/fixgate   snooze  3d").args()).containsExactly("3d");
        assertThat(command("/FIXGATE Status").name()).isEqualTo("status");
        assertThat(command("LGTM, thanks!\n\n/fixgate approve\n/fixgate reject --reason no").name())
                .as("the first command line counts").isEqualTo("approve");
        assertThat(command("/fixgate approve\r\n").name()).isEqualTo("approve");
    }

    @Test
    void quotedReasonsDatesAndDurations() {
        Parsed.Command c = command("/fixgate ignore --until 2027-01-31 --reason \"owned by the data team\"");
        assertThat(c.flags()).containsEntry("until", "2027-01-31").containsEntry("reason", "owned by the data team");
        assertThat(command("/fixgate ignore --reason='kept public on purpose'").flag("reason")).hasValue("kept public on purpose");
        assertThat(command("/fixgate ignore --reason “smart quotes” resource main.tf:aws_s3_bucket.a").flags())
                .containsEntry("reason", "smart quotes");
        assertThat(command("/fixgate ignore --reason “smart quotes” resource main.tf:aws_s3_bucket.a").args())
                .containsExactly("resource", "main.tf:aws_s3_bucket.a");
        assertThat(command("/fixgate reject --reason \"said \\\"no\\\" twice\"").flag("reason")).hasValue("said \"no\" twice");
        assertThat(command("/fixgate ignore --reason a --reason b").flag("reason")).as("the last one counts").hasValue("b");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Thanks!",
            "please /fixgate approve",
            "/fixgateapprove",
            "> /fixgate approve",
            "> quoting:\n> /fixgate approve\nI agree with the above",
            "`/fixgate approve`",
            "```\n/fixgate approve\n```",
            "~~~sh\n/fixgate approve\n~~~",
            "    /fixgate approve",
            "\t/fixgate approve",
            "@fixgates approve",
            "/dependabot rebase",
            ""})
    void commandsInQuotesCodeOrMidSentenceAreIgnored(String comment) {
        assertThat(PARSER.parse(comment)).as(comment).isInstanceOf(Parsed.Ignore.class);
    }

    @Test
    void aCommandAfterACodeBlockStillCounts() {
        assertThat(command("```\n/fixgate reject\n```\n/fixgate explain").name()).isEqualTo("explain");
    }

    @Test
    void mistakesAreAnsweredWithHelp() {
        assertThat(reply("/fixgate")).isEqualTo("HELP");
        assertThat(reply("/fixgate aprove")).startsWith("Unknown command `aprove`; did you mean `approve`?").endsWith("HELP");
        assertThat(reply("/fixgate frobnicate")).startsWith("Unknown command `frobnicate`.");
        assertThat(reply("/fixgate snooze --frobnicate 3d")).startsWith("`snooze` has no flag `--frobnicate`");
        assertThat(reply("/fixgate ignore --resaon x")).contains("did you mean `--reason`?");
        assertThat(reply("/fixgate ignore --reason")).contains("`--reason` needs a value");
        assertThat(reply("/fixgate ignore --reason \"unterminated")).startsWith("Unterminated quote");
    }

    @Test
    void helpIsGeneratedFromTheDeclarations() {
        String help = ChatOps.help("fixgate", Wiring.commands("fixgate").stream().map(CommandRunner::declaration).toList());
        for (String name : List.of("approve", "reject", "explain", "rescan", "snooze", "ignore", "rebase", "recreate",
                "revert", "status", "help")) {
            assertThat(help).contains("| `" + name);
        }
        assertThat(help).contains("an authorised reviewer", "write access", "read access");
    }
}
