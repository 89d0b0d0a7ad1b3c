package org.csphub.contracts;

import org.csphub.yaml.LocatedYamlException;

/** A feed contract file the hub refuses, with the file, line and column of what is wrong. */
public final class InvalidContractException extends LocatedYamlException {

    private static final long serialVersionUID = 1L;

    public InvalidContractException(final String source, final int line, final int column, final String problem) {
        super(source, line, column, problem);
    }
}
