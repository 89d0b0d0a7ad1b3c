package org.csphub.producers.privacy;

/** ONS five-year age bands: {@code 0-4}, {@code 5-9}, ..., {@code 85-89}, {@code 90+}. The age itself goes no further. */
public final class AgeBands {

    public static final int OLDEST = 90;

    private AgeBands() {
    }

    public static String bandOf(final int age) {
        if (age < 0) {
            throw new IllegalArgumentException("An age cannot be negative: " + age);
        }
        if (age >= OLDEST) {
            return OLDEST + "+";
        }
        final int low = age / 5 * 5;
        return low + "-" + (low + 4);
    }
}
