package org.csphub.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read into maps, lists and scalars that each remember their line and column, so
 * that a refusal can name the line to fix. Jackson's tree model forgets where a value was; this
 * reader keeps the parser's location of every token. The access file and the feed contracts are
 * both read through it.
 */
public final class LocatedYaml {

    private LocatedYaml() {
    }

    /** A value of the document and where it starts. */
    public sealed interface Node permits MapNode, ListNode, Scalar {
        int line();

        int column();

        String kind();
    }

    /** A mapping; each key keeps the location of the key itself. */
    public record MapNode(Map<String, Entry> entries, int line, int column) implements Node {
        @Override
        public String kind() {
            return "a mapping";
        }
    }

    public record Entry(String key, Node value, int line, int column) {
    }

    public record ListNode(List<Node> items, int line, int column) implements Node {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A scalar as written (null for an empty value). */
    public record Scalar(String text, int line, int column) implements Node {
        @Override
        public String kind() {
            return text == null ? "an empty value" : "a single value";
        }
    }

    /** The document's root; {@code source} names the file in every refusal. */
    public static Node parse(final String text, final String source) {
        try (JsonParser parser = YAMLFactory.builder().build().createParser(text)) {
            final JsonToken first = parser.nextToken();
            if (first == null) {
                throw new LocatedYamlException(source, 1, 1, "the file is empty");
            }
            return read(parser, source);
        } catch (IOException e) {
            final JsonLocation where = e instanceof com.fasterxml.jackson.core.JsonProcessingException processing
                    && processing.getLocation() != null ? processing.getLocation() : JsonLocation.NA;
            throw new LocatedYamlException(source, Math.max(1, where.getLineNr()),
                    Math.max(1, where.getColumnNr()), "not valid YAML: " + firstLine(e.getMessage()));
        }
    }

    private static Node read(final JsonParser parser, final String source) throws IOException {
        final JsonLocation at = parser.currentTokenLocation();
        final int line = at.getLineNr();
        final int column = at.getColumnNr();
        final JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                final Map<String, Entry> entries = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    final JsonLocation keyAt = parser.currentTokenLocation();
                    final String key = parser.currentName();
                    if (entries.containsKey(key)) {
                        throw new LocatedYamlException(source, keyAt.getLineNr(), keyAt.getColumnNr(),
                                "'" + key + "' is given twice in the same mapping (first on line "
                                        + entries.get(key).line() + ")");
                    }
                    parser.nextToken();
                    entries.put(key, new Entry(key, read(parser, source), keyAt.getLineNr(), keyAt.getColumnNr()));
                }
                return new MapNode(Collections.unmodifiableMap(entries), line, column);
            }
            case START_ARRAY -> {
                final List<Node> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(parser, source));
                }
                return new ListNode(List.copyOf(items), line, column);
            }
            case VALUE_NULL -> {
                return new Scalar(null, line, column);
            }
            default -> {
                return new Scalar(parser.getText(), line, column);
            }
        }
    }

    private static String firstLine(final String message) {
        if (message == null) {
            return "";
        }
        final int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
