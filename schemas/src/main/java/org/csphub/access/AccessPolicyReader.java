package org.csphub.access;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.csphub.topics.Feed;
import org.csphub.topics.FeedCatalog;
import org.csphub.topics.TopicProvisioner;
import org.csphub.yaml.LocatedYaml.Entry;
import org.csphub.yaml.LocatedYaml.ListNode;
import org.csphub.yaml.LocatedYaml.MapNode;
import org.csphub.yaml.LocatedYaml.Node;
import org.csphub.yaml.LocatedYaml.Scalar;
import org.csphub.yaml.LocatedYamlException;
import org.csphub.yaml.NodeReader;

/**
 * Turns a located YAML tree into an {@link AccessPolicy}, refusing the first inconsistency it finds with
 * its line ({@link LocatedYamlException}; {@link AccessPolicy#parse} gives it to callers as an
 * {@link InvalidAccessPolicyException}).
 */
final class AccessPolicyReader {

    /** SCRAM user names: nothing that SCRAM's or JAAS's syntax would have to escape. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private final NodeReader nodes;
    /** Principal -> the role that holds it and where, for the duplicate message. */
    private final Map<String, String> principalRoles = new LinkedHashMap<>();
    /** Consumer group name or prefix -> its owner, for the overlap check. */
    private final Map<String, String> groupOwners = new LinkedHashMap<>();
    /** Token hash -> the agency or reader that holds it and where, for the duplicate message. */
    private final Map<String, String> tokenHolders = new LinkedHashMap<>();

    private final FeedCatalog catalog;

    AccessPolicyReader(final String source, final FeedCatalog catalog) {
        this.nodes = new NodeReader(source);
        this.catalog = catalog;
    }

    AccessPolicy read(final Node document) {
        final MapNode root = map(document, "the access file");
        allowOnly(root, "agencies", "topologies", "sinks", "research", "readers", "operators");
        final List<Agency> agencies = agencies(required(root, "agencies"));
        final Topologies topologies = topologies(required(root, "topologies"));
        final Optional<MetricReader> sinks = optional(root, "sinks").map(this::sinks);
        final Optional<MetricReader> research = optional(root, "research").map(this::research);
        final List<MetricReader> readers = optional(root, "readers").map(this::readers).orElse(List.of());
        final List<Operator> operators = optional(root, "operators").map(this::operators).orElse(List.of());
        return new AccessPolicy(agencies, topologies, sinks, research, readers, operators, catalog);
    }

    private List<Agency> agencies(final Entry entry) {
        final ListNode list = list(entry.value(), "agencies");
        if (list.items().isEmpty()) {
            throw refuse(entry.value(), "no agency is listed: the hub has nobody to take data from");
        }
        final List<Agency> agencies = new ArrayList<>();
        final Map<Feed, Agency> owners = new LinkedHashMap<>();
        final Map<String, Agency> names = new LinkedHashMap<>();
        for (final Node item : list.items()) {
            final MapNode agency = map(item, "an agency");
            allowOnly(agency, "name", "principal", "feeds", "token_sha256");
            final Scalar nameNode = scalar(required(agency, "name"));
            // a display name ("Cambridgeshire Constabulary"); the principal is what Kafka sees
            final String name = text(nameNode, "agency name");
            if (names.containsKey(name)) {
                throw refuse(nameNode, "agency '" + name + "' is listed twice (first on line "
                        + names.get(name).line() + ")");
            }
            final Entry feedsEntry = required(agency, "feeds");
            final ListNode feedList = list(feedsEntry.value(), "feeds");
            final Scalar principalNode = scalar(required(agency, "principal"));
            final String principal = name(principalNode, "principal");
            if (feedList.items().isEmpty()) {
                throw refuse(feedsEntry.value(), "principal '" + principal + "' has no role: agency '" + name
                        + "' publishes no feed");
            }
            final Set<Feed> feeds = new LinkedHashSet<>();
            for (final Node feedItem : feedList.items()) {
                final Scalar feedNode = scalar(feedItem);
                final String slug = text(feedNode, "feed");
                final Feed feed = catalog.find(slug).orElseThrow(() -> refuse(feedNode, "Unknown feed '" + slug
                        + "'; the hub's feeds are " + catalog.slugs()));
                final Agency owner = owners.get(feed);
                if (owner != null) {
                    throw refuse(feedNode, "feed '" + feed.slug() + "' is already published by agency '"
                            + owner.name() + "' (line " + owner.line() + "); a feed has one publisher");
                }
                if (!feeds.add(feed)) {
                    throw refuse(feedNode, "feed '" + feed.slug() + "' is listed twice for agency '" + name + "'");
                }
            }
            final String hash = tokenHash(scalar(required(agency, "token_sha256")), "agency '" + name + "'");
            claimPrincipal(principalNode, principal, "agency '" + name + "'");
            final Agency parsed = new Agency(name, feeds, principal, hash, item.line());
            feeds.forEach(feed -> owners.put(feed, parsed));
            names.put(name, parsed);
            agencies.add(parsed);
        }
        return agencies;
    }

    private Topologies topologies(final Entry entry) {
        final MapNode node = map(entry.value(), "topologies");
        allowOnly(node, "principal", "application_id");
        final Scalar principalNode = scalar(required(node, "principal"));
        final String principal = name(principalNode, "principal");
        final Scalar idNode = scalar(required(node, "application_id"));
        final String applicationId = name(idNode, "application_id");
        // the topologies may create and delete topics by this prefix: it must not reach the hub's own topics
        for (final String topic : TopicProvisioner.allTopics(catalog)) {
            if (topic.startsWith(applicationId)) {
                throw refuse(idNode, "application_id '" + applicationId + "' is a prefix of the hub topic " + topic
                        + "; the topologies' internal topics would include it");
            }
        }
        claimPrincipal(principalNode, principal, "the topologies");
        claimGroup(idNode, applicationId, "the topologies' application id");
        return new Topologies(principal, applicationId);
    }

    /** The sinks write the operators' tables and every extract: they read as a partner, and have no token. */
    private MetricReader sinks(final Entry entry) {
        final MapNode node = map(entry.value(), entry.key());
        allowOnly(node, "principal", "group_prefix");
        return metricReader(node, "sinks", "the sinks", Audience.PARTNER, null);
    }

    /** The research group writes the Strategic Assessment under the data-sharing agreement: a partner by default. */
    private MetricReader research(final Entry entry) {
        final MapNode node = map(entry.value(), entry.key());
        allowOnly(node, "principal", "group_prefix", "audience", "token_sha256");
        final Audience audience = optional(node, "audience").map(this::audience).orElse(Audience.PARTNER);
        final String role = "the research group";
        final String hash = optional(node, "token_sha256").map(token -> tokenHash(scalar(token), role)).orElse(null);
        return metricReader(node, "research", role, audience, hash);
    }

    private List<MetricReader> readers(final Entry entry) {
        final ListNode list = list(entry.value(), "readers");
        final List<MetricReader> readers = new ArrayList<>();
        final Map<String, Integer> names = new LinkedHashMap<>();
        for (final Node item : list.items()) {
            final MapNode node = map(item, "a reader");
            allowOnly(node, "name", "principal", "group_prefix", "audience", "token_sha256");
            final String name = uniqueName(node, item, names, "reader");
            // no default: what a reader may see is said where it is declared
            final Audience audience = audience(required(node, "audience"));
            final String role = "reader '" + name + "'";
            final String hash = optional(node, "token_sha256").map(token -> tokenHash(scalar(token), role)).orElse(null);
            readers.add(metricReader(node, name, role, audience, hash));
        }
        return readers;
    }

    private MetricReader metricReader(final MapNode node, final String name, final String role,
            final Audience audience, final String tokenSha256) {
        final Scalar principalNode = scalar(required(node, "principal"));
        final String principal = name(principalNode, "principal");
        final Scalar groupNode = scalar(required(node, "group_prefix"));
        final String groupPrefix = name(groupNode, "group_prefix");
        claimPrincipal(principalNode, principal, role);
        claimGroup(groupNode, groupPrefix, "the group prefix of " + role);
        return new MetricReader(name, principal, groupPrefix, audience, tokenSha256, node.line());
    }

    private Audience audience(final Entry entry) {
        final Scalar node = scalar(entry);
        final String label = text(node, "audience");
        return Audience.fromLabel(label).orElseThrow(() -> refuse(node, "unknown audience '" + label
                + "'; valid audiences are " + Audience.labels() + " (a partner reads the metric topics' full figures "
                + "and the published topics, the public the published topics only)"));
    }

    /** A token's SHA-256 in lower-case hex, held by one agency or reader only. */
    private String tokenHash(final Scalar node, final String holder) {
        final String text = text(node, "token_sha256");
        if (!SHA256_HEX.matcher(text).matches()) {
            throw refuse(node, "token_sha256 must be the 64 hexadecimal digits of the token's SHA-256 "
                    + "(e.g. printf %s TOKEN | sha256sum), never the token itself");
        }
        final String hash = HexFormat.of().formatHex(HexFormat.of().parseHex(text));
        final String earlier = tokenHolders.get(hash);
        if (earlier != null) {
            throw refuse(node, "the same token_sha256 is given to " + earlier + "; give each agency and reader a "
                    + "token of its own, so that a token says who is asking");
        }
        tokenHolders.put(hash, holder + " (line " + node.line() + ")");
        return hash;
    }

    private List<Operator> operators(final Entry entry) {
        final ListNode list = list(entry.value(), "operators");
        final List<Operator> operators = new ArrayList<>();
        final Map<String, Integer> names = new LinkedHashMap<>();
        for (final Node item : list.items()) {
            final MapNode node = map(item, "an operator");
            allowOnly(node, "name", "principal", "reads", "group_prefix");
            final String name = uniqueName(node, item, names, "operator");
            final Scalar principalNode = scalar(required(node, "principal"));
            final String principal = name(principalNode, "principal");
            final Set<TopicKind> reads = EnumSet.noneOf(TopicKind.class);
            for (final Node kindItem : list(required(node, "reads").value(), "reads").items()) {
                final Scalar kindNode = scalar(kindItem);
                try {
                    reads.add(TopicKind.fromLabel(text(kindNode, "kind of topic")));
                } catch (IllegalArgumentException e) {
                    throw refuse(kindNode, e.getMessage());
                }
            }
            final Scalar groupNode = scalar(required(node, "group_prefix"));
            final String groupPrefix = name(groupNode, "group_prefix");
            claimPrincipal(principalNode, principal, "operator '" + name + "'");
            claimGroup(groupNode, groupPrefix, "the group prefix of operator '" + name + "'");
            operators.add(new Operator(name, principal, reads, groupPrefix));
        }
        return operators;
    }

    private void claimPrincipal(final Scalar node, final String principal, final String role) {
        final String holder = principalRoles.get(principal);
        if (holder != null) {
            throw refuse(node, "principal '" + principal + "' is already " + holder
                    + "; each principal has one role, so that its rights stay the least it needs");
        }
        principalRoles.put(principal, role + " (line " + node.line() + ")");
    }

    private void claimGroup(final Scalar node, final String group, final String owner) {
        groupOwners.forEach((other, otherOwner) -> {
            if (group.startsWith(other) || other.startsWith(group)) {
                throw refuse(node, "'" + group + "' overlaps '" + other + "', " + otherOwner
                        + "; one role could join the other's consumer groups");
            }
        });
        groupOwners.put(group, owner + " (line " + node.line() + ")");
    }

    private Entry required(final MapNode map, final String key) {
        return nodes.required(map, key);
    }

    private Optional<Entry> optional(final MapNode map, final String key) {
        return nodes.optional(map, key);
    }

    private void allowOnly(final MapNode map, final String... keys) {
        nodes.allowOnly(map, keys);
    }

    private MapNode map(final Node node, final String what) {
        return nodes.map(node, what);
    }

    private ListNode list(final Node node, final String what) {
        return nodes.list(node, what);
    }

    private Scalar scalar(final Entry entry) {
        return nodes.scalar(entry);
    }

    private Scalar scalar(final Node node) {
        return nodes.scalar(node);
    }

    private String text(final Scalar node, final String what) {
        return nodes.text(node, what);
    }

    private String name(final Scalar node, final String what) {
        final String text = text(node, what);
        if (!NAME.matcher(text).matches()) {
            throw refuse(node, what + " '" + text + "' may hold only letters, digits, '.', '_' and '-'");
        }
        return text;
    }

    private LocatedYamlException refuse(final Node node, final String problem) {
        return nodes.refuse(node, problem);
    }

    /** The {@code name} of a list item of {@code kind}, refused when an earlier item has it; notes where it is. */
    private String uniqueName(final MapNode node, final Node item, final Map<String, Integer> names, final String kind) {
        final Scalar nameNode = scalar(required(node, "name"));
        final String name = name(nameNode, kind + " name");
        if (names.containsKey(name)) {
            throw refuse(nameNode, kind + " '" + name + "' is listed twice (first on line " + names.get(name) + ")");
        }
        names.put(name, item.line());
        return name;
    }
}
