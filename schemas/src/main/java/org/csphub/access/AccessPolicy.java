package org.csphub.access;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.csphub.yaml.LocatedYaml;
import org.csphub.yaml.LocatedYamlException;

/**
 * Who may do what in the hub, as the access file says: the partner agencies and their feeds, the
 * topologies' and sinks' principals, the readers of the metrics (the research group and any other,
 * each with its audience), and the operators. A policy that loaded is consistent: every feed has at
 * most one agency, every principal has exactly one role, group prefixes of different roles do not
 * overlap, and every token belongs to one agency or reader.
 */
public final class AccessPolicy {

    private final List<Agency> agencies;
    private final Topologies topologies;
    private final Optional<MetricReader> sinks;
    private final Optional<MetricReader> research;
    private final List<MetricReader> readers;
    private final List<Operator> operators;
    private final FeedCatalog catalog;

    AccessPolicy(final List<Agency> agencies, final Topologies topologies, final Optional<MetricReader> sinks,
            final Optional<MetricReader> research, final List<MetricReader> readers, final List<Operator> operators,
            final FeedCatalog catalog) {
        this.catalog = catalog;
        this.agencies = List.copyOf(agencies);
        this.topologies = topologies;
        this.sinks = sinks;
        this.research = research;
        this.readers = List.copyOf(readers);
        this.operators = List.copyOf(operators);
    }

    /** Reads and checks an access file whose agencies publish shipped feeds. */
    public static AccessPolicy load(final Path file) {
        return load(file, FeedCatalog.shipped());
    }

    /**
     * Reads and checks an access file; its agencies' feeds are slugs of {@code catalog}. Refuses an
     * inconsistent one with {@link InvalidAccessPolicyException}.
     */
    public static AccessPolicy load(final Path file, final FeedCatalog catalog) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), catalog);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the access file " + file.toAbsolutePath(), e);
        }
    }

    /** Reads and checks an access file's text whose agencies publish shipped feeds. */
    public static AccessPolicy parse(final String yaml, final String source) {
        return parse(yaml, source, FeedCatalog.shipped());
    }

    /** Reads and checks an access file's text; {@code source} names it in messages. */
    public static AccessPolicy parse(final String yaml, final String source, final FeedCatalog catalog) {
        try {
            return new AccessPolicyReader(source, catalog).read(LocatedYaml.parse(yaml, source));
        } catch (LocatedYamlException e) {
            throw new InvalidAccessPolicyException(e.source(), e.line(), e.column(), e.problem());
        }
    }

    /** The example access file for the default geography's agencies, shipped in this jar. */
    public static String example() {
        try (var in = AccessPolicy.class.getResourceAsStream("/access/access.example.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<Agency> agencies() {
        return agencies;
    }

    public Topologies topologies() {
        return topologies;
    }

    public Optional<MetricReader> sinks() {
        return sinks;
    }

    public Optional<MetricReader> research() {
        return research;
    }

    /** The readers of the {@code readers:} list, in their order (the research group is {@link #research()}). */
    public List<MetricReader> readers() {
        return readers;
    }

    /** Every reader of the metrics with an audience: the research group first, then the listed readers. */
    public List<MetricReader> audienceReaders() {
        final List<MetricReader> all = new ArrayList<>();
        research.ifPresent(all::add);
        all.addAll(readers);
        return all;
    }

    /**
     * The reader whose query API token this is. As for agencies, every reader's hash is compared, each
     * in constant time.
     */
    public Optional<MetricReader> readerForToken(final String token) {
        MetricReader found = null;
        for (final MetricReader reader : audienceReaders()) {
            if (reader.acceptsToken(token) && found == null) {
                found = reader;
            }
        }
        return Optional.ofNullable(found);
    }

    public List<Operator> operators() {
        return operators;
    }

    /** The feeds the agencies' {@code feeds:} name. */
    public FeedCatalog catalog() {
        return catalog;
    }

    public Optional<Agency> agency(final String name) {
        return agencies.stream().filter(agency -> agency.name().equals(name)).findFirst();
    }

    /** The agency that publishes {@code feed}, if any. */
    public Optional<Agency> publisherOf(final Feed feed) {
        return agencies.stream().filter(agency -> agency.mayPublish(feed)).findFirst();
    }

    /**
     * The agency whose intake token this is. Every agency's hash is compared, each in constant time,
     * so the time taken does not tell which agency (if any) came close.
     */
    public Optional<Agency> agencyForToken(final String token) {
        Agency found = null;
        for (final Agency agency : agencies) {
            if (agency.acceptsToken(token) && found == null) {
                found = agency;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Every principal the policy names, each once: agencies, topologies, sinks, research, readers, operators. */
    public Set<String> principals() {
        final Set<String> principals = new LinkedHashSet<>();
        agencies.forEach(agency -> principals.add(agency.principal()));
        principals.add(topologies.principal());
        sinks.ifPresent(reader -> principals.add(reader.principal()));
        research.ifPresent(reader -> principals.add(reader.principal()));
        readers.forEach(reader -> principals.add(reader.principal()));
        operators.forEach(operator -> principals.add(operator.principal()));
        return principals;
    }
}
