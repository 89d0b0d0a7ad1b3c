package org.csphub.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The configuration reference names every setting the hub has, so the document stays true to the code. */
class ConfigurationReferenceTest {

    @Test
    void shouldDocumentEverySetting() throws IOException {
        final Path reference = Path.of(System.getProperty("basedir", ".")).resolve("../docs/configuration.md");
        final String text = Files.readString(reference, StandardCharsets.UTF_8);

        assertThat(HubConfig.defaultsOnly().describe().keySet())
                .allSatisfy(key -> assertThat(text).as("docs/configuration.md mentions %s", key)
                        .containsAnyOf("`" + key + "`", documentedFamily(key)));
    }

    /** Keys of one family may be documented together, e.g. {@code freshness.<feed>}. */
    private static String documentedFamily(final String key) {
        final int dot = key.lastIndexOf('.');
        return dot < 0 ? "`" + key + "`" : "`" + key.substring(0, dot) + ".<";
    }
}
