package org.csphub.yaml;

/** A YAML file the hub refuses, with the line and column of what is wrong. */
public class LocatedYamlException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String problem;

    public LocatedYamlException(final String source, final int line, final int column, final String problem) {
        super(source + ", line " + line + ", column " + column + ": " + problem);
        this.source = source;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    /** The file (or other source) the document was read from. */
    public String source() {
        return source;
    }

    /** The line of the value at fault, counted from 1. */
    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** What is wrong, without the location. */
    public String problem() {
        return problem;
    }
}
