package org.csphub.hub;

import picocli.CommandLine.IVersionProvider;

/** The hub's version, from the jar's manifest when there is one. */
final class HubVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        final String version = HubVersion.class.getPackage().getImplementationVersion();
        return new String[] {"csp-hub " + (version == null ? "(development build)" : version),
            "Java " + Runtime.version() + " at " + System.getProperty("java.home")};
    }
}
