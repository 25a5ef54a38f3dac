package dev.fixgate.patch.terraform;

import java.util.List;
import java.util.regex.Pattern;

/** What we understand of an attribute's value expression; {@code source} is its exact text. */
public sealed interface Value {

    /** {@code var.x}, {@code local.x} (optionally with a trailing attribute path, which we do not follow). */
    Pattern REFERENCE = Pattern.compile("(var|local)\\.([A-Za-z_][A-Za-z0-9_-]*)");

    String source();

    /** A literal: bool, number, null or a string without interpolation. {@code text} is its value as a string. */
    record Literal(String text, String source) implements Value {
    }

    /** {@code [a, b]}; elements carry their spans. */
    record Tuple(List<Element> elements, String source, int start, int end) implements Value {
    }

    record Element(Value value, int start, int end) {
    }

    /** {@code { k = v }}; entries are attributes with spans, like a block body. */
    record Object(List<Body.Item> entries, String source, int start, int end) implements Value {
    }

    /** A bare {@code var.NAME} or {@code local.NAME}. */
    record Reference(String kind, String name, String source) implements Value {
    }

    /** Anything else: function calls, conditionals, resource references, templates with interpolation, heredocs. */
    record Other(String source) implements Value {
    }
}
