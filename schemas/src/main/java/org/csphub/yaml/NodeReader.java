package org.csphub.yaml;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.csphub.yaml.LocatedYaml.Entry;
import org.csphub.yaml.LocatedYaml.ListNode;
import org.csphub.yaml.LocatedYaml.MapNode;
import org.csphub.yaml.LocatedYaml.Node;
import org.csphub.yaml.LocatedYaml.Scalar;

/**
 * Takes the values of a located YAML tree in the shapes a reader expects, and refuses anything else
 * with the source, line and column of the node at fault.
 */
public final class NodeReader {

    private final String source;

    public NodeReader(final String source) {
        this.source = source;
    }

    public Entry required(final MapNode map, final String key) {
        final Entry entry = map.entries().get(key);
        if (entry == null) {
            throw refuse(map, "'" + key + "' is missing");
        }
        return entry;
    }

    public Optional<Entry> optional(final MapNode map, final String key) {
        return Optional.ofNullable(map.entries().get(key));
    }

    /** Refuses the first key of {@code map} that is not one of {@code keys}, naming the valid ones. */
    public void allowOnly(final MapNode map, final String... keys) {
        allowOnly(map, List.of(keys));
    }

    public void allowOnly(final MapNode map, final List<String> known) {
        for (final Entry entry : map.entries().values()) {
            if (!known.contains(entry.key())) {
                throw new LocatedYamlException(source, entry.line(), entry.column(),
                        "unknown key '" + entry.key() + "'; expected one of " + String.join(", ", known));
            }
        }
    }

    public MapNode map(final Node node, final String what) {
        if (node instanceof MapNode map) {
            return map;
        }
        throw refuse(node, what + " must be a mapping of keys to values, not " + node.kind());
    }

    public ListNode list(final Node node, final String what) {
        if (node instanceof ListNode list) {
            return list;
        }
        throw refuse(node, what + " must be a list, not " + node.kind());
    }

    public Scalar scalar(final Entry entry) {
        return scalar(entry.value());
    }

    public Scalar scalar(final Node node) {
        if (node instanceof Scalar scalar) {
            return scalar;
        }
        throw refuse(node, "expected a single value, not " + node.kind());
    }

    /** The trimmed text of a scalar that must not be empty. */
    public String text(final Scalar node, final String what) {
        if (node.text() == null || node.text().isBlank()) {
            throw refuse(node, what + " is empty");
        }
        return node.text().trim();
    }

    /** The text of a scalar that must match {@code pattern}; {@code valid} says what would. */
    public String matching(final Scalar node, final String what, final Pattern pattern, final String valid) {
        final String text = text(node, what);
        if (!pattern.matcher(text).matches()) {
            throw refuse(node, what + " '" + text + "' is not valid: " + valid);
        }
        return text;
    }

    /** A whole number from {@code min} to {@code max}. */
    public int whole(final Scalar node, final String what, final int min, final int max) {
        final String text = text(node, what);
        try {
            final int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below, with the range
        }
        throw refuse(node, what + " must be a whole number" + (min == Integer.MIN_VALUE ? ""
                : max == Integer.MAX_VALUE ? " of at least " + min : " from " + min + " to " + max)
                + ", not '" + text + "'");
    }

    /** {@code yes} or {@code no} (or {@code true}, {@code false}), in any case. */
    public boolean yesNo(final Scalar node, final String what) {
        final String text = text(node, what).toLowerCase(Locale.ROOT);
        return switch (text) {
            case "yes", "true" -> true;
            case "no", "false" -> false;
            default -> throw refuse(node, what + " must be yes or no, not '" + node.text() + "'");
        };
    }

    public LocatedYamlException refuse(final Node node, final String problem) {
        return new LocatedYamlException(source, node.line(), node.column(), problem);
    }

    public LocatedYamlException refuse(final Entry entry, final String problem) {
        return new LocatedYamlException(source, entry.line(), entry.column(), problem);
    }
}
