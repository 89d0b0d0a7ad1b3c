package org.csphub.producers.validation;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Where each contract column sits in one file (0-based), which columns are unnamed and which are dropped. */
public record HeaderLayout(int width, Map<String, Integer> positions, Set<Integer> unnamed, Set<Integer> dropped) {

    public HeaderLayout {
        positions = Map.copyOf(positions);
        unnamed = Set.copyOf(unnamed);
        dropped = Set.copyOf(dropped);
    }

    public Optional<Integer> position(final String column) {
        return Optional.ofNullable(positions.get(column));
    }
}
