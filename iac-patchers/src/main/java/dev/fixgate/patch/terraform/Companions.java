package dev.fixgate.patch.terraform;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the resources of a type that point at an owner: the AWS provider v4 split S3 settings into their own
 * resources ({@code aws_s3_bucket_public_access_block.bucket = aws_s3_bucket.logs.id}), which can sit in any
 * file of the module.
 */
final class Companions {

    record Companion(HclDocument doc, Body.Block block) {
    }

    private Companions() {
    }

    /**
     * Resources of {@code type} in the module whose {@code ownerAttribute} refers to {@code owner}: by expression
     * ({@code aws_s3_bucket.b.id}, {@code aws_s3_bucket.b[0].id}), through {@code for_each = aws_s3_bucket.b}, or by
     * the owner's literal name.
     */
    static List<Companion> of(ModuleView module, Body.Block owner, String type, String ownerAttribute) {
        String ownerAddr = Pattern.quote(owner.label(0) + "." + owner.label(1));
        Pattern byExpr = Pattern.compile("^" + ownerAddr + "(\\[[^\\]]*\\])?\\.[A-Za-z_]+$");
        Optional<String> ownerName = owner.attribute(ownerAttribute).filter(a -> a.value() instanceof Value.Literal)
                .map(a -> ((Value.Literal) a.value()).text());
        List<Companion> out = new ArrayList<>();
        for (HclDocument d : module.tfDocuments()) {
            for (Body.Block b : d.blocks()) {
                if (!b.type().equals("resource") || !b.label(0).equals(type)) {
                    continue;
                }
                Optional<Body.Attribute> ref = b.attribute(ownerAttribute);
                if (ref.isEmpty()) {
                    continue;
                }
                Value v = ref.get().value();
                String src = v.source().strip();
                boolean each = src.startsWith("each.value") && b.attribute("for_each")
                        .map(f -> f.value().source().strip().equals(owner.label(0) + "." + owner.label(1))).orElse(false);
                boolean literal = v instanceof Value.Literal l && ownerName.isPresent() && l.text().equals(ownerName.get());
                if (byExpr.matcher(src).matches() || each || literal) {
                    out.add(new Companion(d, b));
                }
            }
        }
        return out;
    }

    /**
     * The resource {@code block} belongs to: the one its {@code ownerAttribute} refers to by expression
     * ({@code aws_s3_bucket_acl.bucket = aws_s3_bucket.b.id} → {@code aws_s3_bucket.b}), else the block itself.
     */
    static Body.Block ownerOf(ModuleView module, Body.Block block, String ownerAttribute) {
        Optional<String> ref = block.attribute(ownerAttribute).map(a -> a.value().source().strip());
        if (ref.isEmpty()) {
            return block;
        }
        String[] parts = ref.get().replaceAll("\\[[^\\]]*\\]", "").split("\\.");
        if (parts.length < 3) {
            return block;
        }
        for (HclDocument d : module.tfDocuments()) {
            for (Body.Block b : d.blocks()) {
                if (b.type().equals("resource") && b.label(0).equals(parts[0]) && b.label(1).equals(parts[1])) {
                    return b;
                }
            }
        }
        return block;
    }
}
