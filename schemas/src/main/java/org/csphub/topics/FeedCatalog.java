package org.csphub.topics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.csphub.config.HubConfig;
import org.csphub.contracts.FeedContract;
import org.csphub.contracts.FeedContractReader;
import org.csphub.contracts.InvalidContractException;
import org.csphub.contracts.ShippedContracts;
import org.csphub.yaml.LocatedYaml;
import org.csphub.yaml.LocatedYamlException;

/**
 * The feeds this hub runs: the contracts it ships ({@link ShippedContracts}) and then every
 * {@code <slug>.yaml} in the partnership's own feeds folder ({@code feeds.dir}), each checked as it is
 * read. Every stage takes its feeds from here, so a partnership adds a feed by dropping a contract into
 * that folder. The order is the shipped feeds' then the folder's, by file name.
 */
public final class FeedCatalog {

    private static final FeedCatalog SHIPPED = new FeedCatalog(ShippedContracts.all().stream()
            .map(contract -> new Declared(Feed.of(contract), "feeds/" + contract.slug() + ".yaml (shipped with the hub)",
                    true)).toList());

    /** A feed and where its contract was read, for messages. */
    private record Declared(Feed feed, String place, boolean shipped) {
    }

    private final Map<String, Declared> feeds = new LinkedHashMap<>();

    private FeedCatalog(final List<Declared> declared) {
        declared.forEach(feed -> feeds.put(feed.feed().slug(), feed));
    }

    /** The shipped feeds alone. */
    public static FeedCatalog shipped() {
        return SHIPPED;
    }

    /** The catalog the configuration names: the shipped feeds and those of {@code feeds.dir}, when it is set. */
    public static FeedCatalog of(final HubConfig config) {
        return config.feedsDir().map(FeedCatalog::withFolder).orElse(SHIPPED);
    }

    /**
     * The shipped feeds and every {@code *.yaml} contract in {@code folder}. A contract that does not read
     * is refused with its file, line and column; so is one whose slug or metric family another feed already has.
     */
    public static FeedCatalog withFolder(final Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("The feeds folder " + folder.toAbsolutePath() + " (" + HubConfig.FEEDS_DIR
                    + ") is not a folder; create it, or leave " + HubConfig.FEEDS_DIR + " blank for the shipped feeds alone");
        }
        final List<Path> files;
        try (Stream<Path> listed = Files.list(folder)) {
            files = listed.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the feeds folder " + folder.toAbsolutePath(), e);
        }
        final List<Declared> declared = new ArrayList<>(SHIPPED.feeds.values());
        for (final Path file : files) {
            final String name = file.getFileName().toString();
            if (name.endsWith(".yml")) {
                throw new InvalidContractException(file.toString(), 1, 1, "a feed contract is named <slug>.yaml; "
                        + "rename it " + name.substring(0, name.length() - ".yml".length()) + ".yaml");
            }
            if (!name.endsWith(".yaml")) {
                continue;
            }
            final FeedContract contract = FeedContractReader.read(file);
            refuseClashes(file, contract, declared);
            declared.add(new Declared(Feed.of(contract), file.toString(), false));
        }
        return new FeedCatalog(declared);
    }

    private static void refuseClashes(final Path file, final FeedContract contract, final List<Declared> declared) {
        for (final Declared other : declared) {
            final FeedContract theirs = other.feed().contract();
            if (theirs.slug().equals(contract.slug())) {
                throw refuse(file, List.of("slug"), "feed '" + contract.slug() + "' is already declared by "
                        + other.place() + "; a feed's slug names one feed, choose another");
            }
            if (theirs.family().name().equals(contract.family().name())) {
                throw refuse(file, List.of("family", "name"), "metric family '" + contract.family().name()
                        + "' is already made by feed '" + theirs.slug() + "' (" + other.place() + "); its topic "
                        + contract.family().topic() + " would carry both, choose another family name");
            }
        }
    }

    /** Refuses a contract at the node its keys lead to (its start, when the path is not there). */
    private static InvalidContractException refuse(final Path file, final List<String> keys, final String problem) {
        int line = 1;
        int column = 1;
        try {
            LocatedYaml.Node node = LocatedYaml.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
            for (final String key : keys) {
                if (!(node instanceof LocatedYaml.MapNode map) || !map.entries().containsKey(key)) {
                    break;
                }
                node = map.entries().get(key).value();
                line = node.line();
                column = node.column();
            }
        } catch (IOException | LocatedYamlException e) {
            // it read a moment ago; the file's start will do
        }
        return new InvalidContractException(file.toString(), line, column, problem);
    }

    /** The feeds of this catalog that {@code slugs} name, in the catalog's order; refuses a name it does not hold. */
    public FeedCatalog only(final Collection<String> slugs) {
        final Set<String> wanted = slugs.stream().map(slug -> feed(slug).slug()).collect(Collectors.toSet());
        return new FeedCatalog(feeds.values().stream().filter(declared -> wanted.contains(declared.feed().slug()))
                .toList());
    }

    /** Every feed, shipped first. */
    public List<Feed> feeds() {
        return feeds.values().stream().map(Declared::feed).toList();
    }

    public List<FeedContract> contracts() {
        return feeds().stream().map(Feed::contract).toList();
    }

    /** The feed named by its slug, or by its slug in capitals with underscores ({@code POLICE_ASB}). */
    public Optional<Feed> find(final String name) {
        final String wanted = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return Optional.ofNullable(feeds.get(wanted)).map(Declared::feed);
    }

    /** The feed named {@code name}; refuses an unknown one, listing the feeds there are. */
    public Feed feed(final String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("Unknown feed '" + name
                + "'; valid feeds are " + slugs()));
    }

    /** The slugs, comma-separated, for messages. */
    public String slugs() {
        return String.join(", ", feeds.keySet());
    }

    /** Whether the hub ships the feed, rather than the partnership's feeds folder declaring it. */
    public boolean isShipped(final Feed feed) {
        return declared(feed).shipped();
    }

    /** Where the feed's contract was read: the shipped resource or the folder's file. */
    public String placeOf(final Feed feed) {
        return declared(feed).place();
    }

    private Declared declared(final Feed feed) {
        final Declared declared = feeds.get(feed.slug());
        if (declared == null) {
            throw new IllegalArgumentException("Feed '" + feed + "' is not in this catalog; its feeds are " + slugs());
        }
        return declared;
    }

    public List<String> rawTopics() {
        return feeds().stream().map(Feed::rawTopic).toList();
    }

    public List<String> deadLetterTopics() {
        return feeds().stream().map(Feed::deadLetterTopic).toList();
    }

    /** The metric topics, {@code csp.metrics.<family>}, one per family. */
    public List<String> metricTopics() {
        return List.copyOf(feeds().stream().map(feed -> feed.contract().family().topic())
                .collect(Collectors.toCollection(LinkedHashSet::new)));
    }

    /** The published topics, {@code csp.published.<family>}, one per family. */
    public List<String> publishedTopics() {
        return metricTopics().stream().map(Topics::publishedTopicOf).toList();
    }

    /** The metric topics, then the published ones. */
    public List<String> metricAndPublishedTopics() {
        final List<String> topics = new ArrayList<>(metricTopics());
        topics.addAll(publishedTopics());
        return Collections.unmodifiableList(topics);
    }

    @Override
    public String toString() {
        return "FeedCatalog[" + slugs() + "]";
    }
}
