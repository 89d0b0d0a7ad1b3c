package org.csphub.sinks.report;

import static org.apache.commons.text.StringEscapeUtils.escapeHtml4;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A contract's sentence with its placeholders filled: {@code {count}} takes a value (already HTML),
 * the rest of the text is escaped. A part in brackets, {@code [, {change}]}, is left out when a
 * placeholder in it has no value; elsewhere a placeholder without a value shows as a dash.
 */
final class Sentence {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern OPTIONAL = Pattern.compile("\\[([^\\[\\]]*)]");
    static final String NONE = "–";

    private Sentence() {
    }

    /** {@code values}: each placeholder's HTML; a missing key or a null is a value not there. */
    static String fill(final String template, final Map<String, String> values) {
        final StringBuilder html = new StringBuilder();
        final Matcher optional = OPTIONAL.matcher(template);
        int at = 0;
        while (optional.find()) {
            html.append(filled(template.substring(at, optional.start()), values, false));
            final String part = filled(optional.group(1), values, true);
            if (part != null) {
                html.append(part);
            }
            at = optional.end();
        }
        return html.append(filled(template.substring(at), values, false)).toString();
    }

    /** The part filled in, or null when {@code optional} and a value is missing. */
    private static String filled(final String text, final Map<String, String> values, final boolean optional) {
        final StringBuilder html = new StringBuilder();
        final Matcher matcher = PLACEHOLDER.matcher(text);
        int at = 0;
        while (matcher.find()) {
            html.append(escapeHtml4(text.substring(at, matcher.start())));
            final String value = values.get(matcher.group(1));
            if (value == null && optional) {
                return null;
            }
            html.append(value == null ? NONE : value);
            at = matcher.end();
        }
        return html.append(escapeHtml4(text.substring(at))).toString();
    }
}
