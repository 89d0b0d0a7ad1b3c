package org.csphub.hub;

import org.csphub.access.Audience;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --audience public|partner}, in any case; anything else is refused with the valid ones. */
final class AudienceConverter implements ITypeConverter<Audience> {

    @Override
    public Audience convert(final String value) {
        return Audience.fromLabel(value).orElseThrow(() -> new TypeConversionException("'" + value
                + "' is not an audience; valid audiences are " + Audience.labels()));
    }
}
