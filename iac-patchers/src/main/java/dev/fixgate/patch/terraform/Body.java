package dev.fixgate.patch.terraform;

import java.util.List;
import java.util.Optional;

/** The offset-carrying view of an HCL body: attributes and blocks, each knowing its exact character span. */
public final class Body {

    private Body() {
    }

    /** An entry of a block body or of an object value. {@code start} is after leading whitespace/comments. */
    public sealed interface Item permits Attribute, Block {
        String name();

        int start();

        int end();
    }

    /** {@code name = value}; {@code valueStart..valueEnd} is the value expression alone. */
    public record Attribute(String name, int start, int end, int valueStart, int valueEnd, Value value)
            implements Item {
    }

    /**
     * {@code type "label" ... { body }}; {@code open} and {@code close} are the offsets of the braces.
     * For a resource, {@code labels} are its type and name.
     */
    public record Block(String type, List<String> labels, int start, int end, int open, int close,
                        List<Item> body) implements Item {

        @Override
        public String name() {
            return type;
        }

        public String label(int i) {
            return i < labels.size() ? labels.get(i) : "";
        }

        public Optional<Attribute> attribute(String name) {
            return body.stream().filter(i -> i instanceof Attribute a && a.name().equals(name))
                    .map(Attribute.class::cast).findFirst();
        }

        public List<Block> blocks(String blockType) {
            return body.stream().filter(i -> i instanceof Block b && b.type().equals(blockType))
                    .map(Block.class::cast).toList();
        }

        /** {@code aws_s3_bucket.logs} for {@code resource "aws_s3_bucket" "logs"}, {@code module.x} for a module call. */
        public String address() {
            return switch (type) {
                case "resource" -> label(0) + "." + label(1);
                case "data" -> "data." + label(0) + "." + label(1);
                case "module" -> "module." + label(0);
                default -> type + (labels.isEmpty() ? "" : "." + String.join(".", labels));
            };
        }
    }
}
