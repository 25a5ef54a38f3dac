package dev.fixgate.patch.terraform;

import java.util.List;

/**
 * Something with {@code { entries }} that we can insert into: a block body or an object value.
 * {@code open}/{@code close} are the offsets of the braces.
 */
record Container(int open, int close, List<Body.Item> entries, boolean object) {

    static Container of(Body.Block b) {
        return new Container(b.open(), b.close(), b.body(), false);
    }

    static Container of(Value.Object o) {
        return new Container(o.start(), o.end() - 1, o.entries(), true);
    }

    java.util.Optional<Body.Attribute> attribute(String name) {
        return entries.stream().filter(i -> i instanceof Body.Attribute a && a.name().equals(name))
                .map(Body.Attribute.class::cast).findFirst();
    }

    List<Body.Block> blocks(String type) {
        return entries.stream().filter(i -> i instanceof Body.Block b && b.type().equals(type))
                .map(Body.Block.class::cast).toList();
    }
}
