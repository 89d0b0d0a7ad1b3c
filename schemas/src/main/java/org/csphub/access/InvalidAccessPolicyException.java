package org.csphub.access;

import org.csphub.yaml.LocatedYamlException;

/** An access file the hub refuses, with the file, line and column of what is wrong. */
public final class InvalidAccessPolicyException extends LocatedYamlException {

    private static final long serialVersionUID = 1L;

    public InvalidAccessPolicyException(final String source, final int line, final int column, final String problem) {
        super(source, line, column, problem);
    }
}
