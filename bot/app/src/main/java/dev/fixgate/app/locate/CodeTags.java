package dev.fixgate.app.locate;

import dev.fixgate.patch.model.ModelResource;
import java.util.regex.Pattern;

/**
 * The code-to-cloud tags a resource block carries in its source: Yor writes {@code yor_trace = "<uuid>"} (and
 * {@code git_file}, {@code yor_name}, …) into a block's {@code tags}, often inside {@code merge(...)} in Terraform
 * and as {@code Key}/{@code Value} pairs in CloudFormation, so the block's text is read rather than its evaluated
 * attributes.
 */
final class CodeTags {

    private CodeTags() {
    }

    /**
     * Whether the block's text sets the tag {@code key} to exactly {@code value}: {@code key = "value"} (HCL),
     * {@code "key": "value"} (JSON maps) or a {@code Key: key} / {@code Value: value} pair (CloudFormation YAML and
     * JSON).
     */
    static boolean carries(RepoScan.Located l, String key, String value) {
        if (value.isEmpty()) {
            return false;
        }
        String text = text(l);
        String k = Pattern.quote(key);
        String v = Pattern.quote(value);
        String q = "[\"']?";
        String pairKey = q + "Key" + q + "\\s*:\\s*" + q + k + q;
        String pairValue = q + "Value" + q + "\\s*:\\s*" + q + v + q;
        return Pattern.compile("(?m)(^|[\\s{,])" + q + k + q + "\\s*[=:]\\s*" + q + v + q + "\\s*($|[\\s,}])").matcher(text).find()
                || Pattern.compile(pairKey + "\\s*,?\\s*" + pairValue + "(\\s|,|}|$)").matcher(text).find()
                || Pattern.compile(pairValue + "\\s*,?\\s*" + pairKey + "(\\s|,|}|$)").matcher(text).find();
    }

    /** The block's own lines in its file. */
    static String text(RepoScan.Located l) {
        ModelResource r = l.resource();
        String file = l.file().text();
        int start = offsetOfLine(file, r.line());
        int end = offsetOfLine(file, r.endLine() + 1);
        return file.substring(start, Math.max(start, end));
    }

    private static int offsetOfLine(String text, int line) {
        int offset = 0;
        for (int i = 1; i < line; i++) {
            int nl = text.indexOf('\n', offset);
            if (nl < 0) {
                return text.length();
            }
            offset = nl + 1;
        }
        return offset;
    }
}
