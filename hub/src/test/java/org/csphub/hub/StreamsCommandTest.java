package org.csphub.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.csphub.access.AccessPolicy;
import org.csphub.access.Audience;
import org.csphub.access.InvalidAccessPolicyException;
import org.csphub.config.HubConfig;
import org.csphub.streams.query.ReaderTokens;
import org.csphub.topics.FeedCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The query API's readers, as {@code hub streams} finds them in the data folder's access file. */
class StreamsCommandTest {

    private static HubConfig config(final Path dataDir) {
        return HubConfig.load(Optional.empty(), Map.of(), Map.of(HubConfig.DATA_DIR, dataDir.toString()));
    }

    @Test
    void shouldTakeTheReadersTokensFromTheAccessFile(@TempDir final Path dataDir) throws Exception {
        Files.writeString(dataDir.resolve("access.yaml"), AccessPolicy.example());

        final ReaderTokens readers = StreamsCommand.readers(config(dataDir), FeedCatalog.shipped());

        assertThat(readers.audienceOf("Bearer example-research-token")).isEqualTo(Audience.PARTNER);
        assertThat(readers.audienceOf("Bearer example-open-data-token")).isEqualTo(Audience.PUBLIC);
        assertThat(readers.audienceOf(null)).isEqualTo(Audience.PUBLIC);
    }

    @Test
    void shouldKnowNoTokenWithoutAnAccessFile(@TempDir final Path dataDir) {
        final ReaderTokens readers = StreamsCommand.readers(config(dataDir), FeedCatalog.shipped());

        assertThat(readers.audienceOf(null)).isEqualTo(Audience.PUBLIC);
        assertThatThrownBy(() -> readers.audienceOf("Bearer example-research-token"))
                .isInstanceOf(ReaderTokens.UnknownCaller.class);
    }

    @Test
    void shouldRefuseAnInconsistentAccessFileWithItsLine(@TempDir final Path dataDir) throws Exception {
        Files.writeString(dataDir.resolve("access.yaml"), AccessPolicy.example().replace("audience: public",
                "audience: everyone"));

        assertThatThrownBy(() -> StreamsCommand.readers(config(dataDir), FeedCatalog.shipped()))
                .isInstanceOf(InvalidAccessPolicyException.class)
                .hasMessageContaining("access.yaml, line ")
                .hasMessageContaining("unknown audience 'everyone'; valid audiences are partner, public");
    }
}
