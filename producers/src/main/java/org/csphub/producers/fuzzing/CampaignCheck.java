package org.csphub.producers.fuzzing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.csphub.config.HubConfig;
import org.csphub.producers.fuzzing.CampaignReport.Breaches;
import org.csphub.producers.fuzzing.CampaignReport.Invariant;
import org.csphub.producers.intake.ExportFormat;
import org.csphub.producers.intake.FeedTopics;
import org.csphub.serde.AvroDeserializer;
import org.csphub.serde.SchemaRegistryException;
import org.csphub.topics.Feed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every feed's raw and dead-letter topic back from the start and holds the campaign's answers
 * against them. A record belongs to a request by its source, {@code http:<agency>:<X-Request-Id>}; only
 * the campaign's own request ids are looked at, so other records on the topics do not matter.
 */
public final class CampaignCheck {

    /** Kafka's default {@code max.request.size}: no record the hub builds may need more. */
    public static final int MAX_REQUEST_BYTES = 1024 * 1024;
    /** How often a schema is asked of the registry before reading back fails (each attempt waits up to its timeout). */
    private static final int REGISTRY_ATTEMPTS = 6;
    private static final Logger LOG = LoggerFactory.getLogger(CampaignCheck.class);
    /** An id that a CSV writer leaves unquoted. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9._-]+");

    private final HubConfig config;
    private final Function<Feed, FeedTopics> topics;
    private final String prefix;

    /** A check of the records on {@code topics} of the cluster {@code config} names, of request ids starting {@code prefix}. */
    public CampaignCheck(final HubConfig config, final Function<Feed, FeedTopics> topics, final String prefix) {
        this.config = config;
        this.topics = topics;
        this.prefix = prefix + "-";
    }

    /** A record read back, with the line of the request it stands for. */
    private record Published(Feed feed, boolean deadLetter, String key, long line, GenericRecord value, int bytes) {
    }

    public CampaignReport check(final List<IntakeCampaign.Answer> answers) {
        final Map<String, List<Published>> byRequest = new HashMap<>();
        long read = 0;
        final Map<Invariant, List<String>> found = new EnumMap<>(Invariant.class);
        for (final Feed feed : IntakeInputs.FEEDS) {
            read += readBack(feed, false, byRequest, found);
            read += readBack(feed, true, byRequest, found);
        }
        final TreeMap<Integer, Long> statuses = new TreeMap<>();
        long accepted = 0;
        long rejected = 0;
        long lost = 0;
        long duplicated = 0;
        for (final IntakeCampaign.Answer answer : answers) {
            final IntakeInput input = answer.input();
            final String request = "request " + input.index() + " (" + input.description() + ", " + input.feedName()
                    + ")";
            statuses.merge(answer.status(), 1L, Long::sum);
            final List<Published> published = byRequest.getOrDefault(input.requestId(), List.of());
            if (answer.status() >= 500) {
                add(found, Invariant.NO_SERVER_ERROR, request + " answered " + answer.status());
            }
            if (answer.status() < 0) {
                add(found, Invariant.ANSWERED_IN_TIME, request + ": " + answer.error() + " after " + answer.millis()
                        + " ms");
            } else if (answer.status() < 500 && !input.statuses().contains(answer.status())) {
                add(found, Invariant.RIGHT_STATUS, request + " answered " + answer.status() + ", expected one of "
                        + input.statuses());
            }
            if (answer.status() != 200) {
                if (!published.isEmpty() && answer.status() > 0 && answer.status() < 500) {
                    add(found, Invariant.NOTHING_FROM_REFUSED, request + " answered " + answer.status() + " but "
                            + published.size() + " record(s) were published, e.g. " + published.get(0).key());
                }
                continue;
            }
            accepted += answer.accepted();
            rejected += answer.rejected();
            if (answer.accepted() + answer.rejected() != answer.rowsRead()) {
                add(found, Invariant.COUNTS_ADD_UP, request + ": " + answer.accepted() + " accepted + "
                        + answer.rejected() + " rejected of " + answer.rowsRead() + " rows read");
            }
            final Map<Long, List<Published>> byLine = new TreeMap<>();
            published.forEach(record -> byLine.computeIfAbsent(record.line(), line -> new ArrayList<>()).add(record));
            for (final Map.Entry<Long, List<Published>> line : byLine.entrySet()) {
                if (line.getValue().size() > 1) {
                    duplicated += line.getValue().size() - 1;
                    add(found, Invariant.ONE_RECORD_PER_ROW, request + " line " + line.getKey() + " has "
                            + line.getValue().size() + " records: " + line.getValue().stream()
                            .map(record -> (record.deadLetter() ? "dead letter " : "raw ") + shorten(record.key()))
                            .toList());
                }
            }
            final long rawLines = byLine.values().stream().filter(list -> list.stream()
                    .anyMatch(record -> !record.deadLetter())).count();
            final long deadLines = byLine.values().stream().filter(list -> list.stream()
                    .anyMatch(Published::deadLetter)).count();
            if (rawLines < answer.accepted()) {
                lost += answer.accepted() - rawLines;
                add(found, Invariant.ACCEPTED_AS_SENT, request + ": " + answer.accepted() + " rows accepted, "
                        + rawLines + " on the raw topic");
            }
            if (deadLines < answer.rejected()) {
                lost += answer.rejected() - deadLines;
                add(found, Invariant.REJECTED_WITH_REASONS, request + ": " + answer.rejected() + " rows rejected, "
                        + deadLines + " on the dead-letter topic");
            }
            if (rawLines > answer.accepted() || deadLines > answer.rejected()) {
                duplicated += Math.max(0, rawLines - answer.accepted()) + Math.max(0, deadLines - answer.rejected());
                add(found, Invariant.ONE_RECORD_PER_ROW, request + ": " + rawLines + " raw and " + deadLines
                        + " dead-letter lines for " + answer.accepted() + " accepted and " + answer.rejected()
                        + " rejected rows");
            }
            checkRecords(request, input, answer, byLine, found);
        }
        final List<IntakeCampaign.Answer> answered = answers.stream().filter(answer -> answer.status() > 0).toList();
        final IntakeCampaign.Answer slowest = answers.stream().max((a, b) -> Long.compare(a.millis(), b.millis()))
                .orElse(null);
        final Map<Invariant, Breaches> breaches = new EnumMap<>(Invariant.class);
        found.forEach((invariant, examples) -> breaches.put(invariant, new Breaches(examples.size(),
                examples.stream().limit(CampaignReport.EXAMPLES).toList())));
        return new CampaignReport(answers.size(), statuses, slowest == null ? 0 : slowest.millis(),
                slowest == null ? "-" : "request " + slowest.input().index() + ", " + slowest.input().description()
                        + ", answered " + slowest.status(), median(answered), accepted, rejected, lost, duplicated,
                read, breaches);
    }

    /** Each record of an accepted request against the row sent at its line and the answer's rejections. */
    private static void checkRecords(final String request, final IntakeInput input, final IntakeCampaign.Answer answer,
            final Map<Long, List<Published>> byLine, final Map<Invariant, List<String>> found) {
        final Map<Long, IntakeCampaign.AnsweredRejection> answered = new LinkedHashMap<>();
        answer.rejections().forEach(rejection -> answered.put(rejection.line(), rejection));
        for (final List<Published> records : byLine.values()) {
            for (final Published record : records) {
                final String at = request + " line " + record.line();
                if (record.bytes() > MAX_REQUEST_BYTES) {
                    add(found, Invariant.RECORDS_WITHIN_LIMIT, at + ": a record of " + record.bytes() + " bytes");
                }
                final IntakeInput.SentRow sent = input.rows().get(record.line());
                if (record.deadLetter()) {
                    checkDeadLetter(at, record, sent, answered.get(record.line()), input.contentType(), found);
                } else {
                    checkRaw(at, record, sent, found);
                }
            }
        }
        // a rejection the answer lists must be on the dead-letter topic as listed
        for (final IntakeCampaign.AnsweredRejection rejection : answered.values()) {
            final boolean there = byLine.getOrDefault(rejection.line(), List.of()).stream()
                    .anyMatch(Published::deadLetter);
            if (!there) {
                add(found, Invariant.REJECTED_WITH_REASONS, request + " line " + rejection.line() + ": answered as "
                        + "rejected for " + rejection.codes() + " but not on the dead-letter topic");
            }
        }
        // a row whose fault is known is rejected for it
        input.rows().forEach((line, sent) -> {
            if (sent.expectedCode() == null) {
                return;
            }
            final List<Published> records = byLine.getOrDefault(line, List.of());
            final boolean rejectedForIt = records.stream().anyMatch(record -> record.deadLetter()
                    && codesOf(record.value()).contains(sent.expectedCode()));
            if (!rejectedForIt && (records.size() > 0 || answer.rowsRead() > 0)) {
                add(found, Invariant.REJECTED_WITH_REASONS, request + " line " + line + ": expected a rejection for "
                        + sent.expectedCode() + ", found " + records.stream().map(record -> record.deadLetter()
                        ? "dead letter " + codesOf(record.value()) : "raw record").toList());
            }
        });
    }

    private static void checkRaw(final String at, final Published record, final IntakeInput.SentRow sent,
            final Map<Invariant, List<String>> found) {
        final String idColumn = idColumnOf(record.feed());
        final String id = String.valueOf(record.value().get(idColumn));
        if (!id.equals(record.key())) {
            add(found, Invariant.ACCEPTED_AS_SENT, at + ": key '" + shorten(record.key()) + "' but id '"
                    + shorten(id) + "'");
        }
        if (sent == null) {
            return;
        }
        if (sent.expectedCode() != null) {
            add(found, Invariant.REJECTED_WITH_REASONS, at + ": accepted, expected a rejection for "
                    + sent.expectedCode());
        }
        if (!sent.id().trim().equals(id)) {
            add(found, Invariant.ACCEPTED_AS_SENT, at + ": id '" + shorten(id) + "' published, '"
                    + shorten(sent.id()) + "' sent");
        }
        sent.fields().forEach((column, value) -> {
            final Object published = record.value().get(column);
            if (!value.isBlank() && !value.trim().equalsIgnoreCase(String.valueOf(published))) {
                add(found, Invariant.ACCEPTED_AS_SENT, at + ": " + column + " '" + published + "' published, '"
                        + shorten(value) + "' sent");
            }
        });
    }

    private static void checkDeadLetter(final String at, final Published record, final IntakeInput.SentRow sent,
            final IntakeCampaign.AnsweredRejection answered, final String contentType,
            final Map<Invariant, List<String>> found) {
        final String rawText = String.valueOf(record.value().get("raw_text"));
        final List<String> codes = codesOf(record.value());
        if (codes.isEmpty()) {
            add(found, Invariant.REJECTED_WITH_REASONS, at + ": a dead letter without a reason");
        }
        // a CSV file has text wherever a row was read; a damaged workbook may have none to show
        if (rawText.isEmpty() && !ExportFormat.XLSX_CONTENT_TYPE.equals(contentType)) {
            add(found, Invariant.REJECTED_WITH_REASONS, at + ": a dead letter for " + codes + " with no raw text");
        }
        if (answered != null && (!answered.codes().equals(codes) || !sameText(answered.rawText(), rawText))) {
            add(found, Invariant.REJECTED_WITH_REASONS, at + ": answered " + answered.codes() + " '"
                    + shorten(answered.rawText()) + "', dead letter " + codes + " '" + shorten(rawText) + "'");
        }
        // the text starts with the id sent there (a long row's text may be cut, so only its start is compared)
        final String idStart = sent == null ? "" : sent.id().substring(0, Math.min(64, sent.id().length()));
        if (sent != null && PLAIN.matcher(idStart).matches() && !rawText.startsWith(idStart)) {
            add(found, Invariant.REJECTED_WITH_REASONS, at + ": raw text '" + shorten(rawText)
                    + "' is not the row sent there (id '" + shorten(sent.id()) + "')");
        }
    }

    /** The same text, or the same start where one of them was cut to keep the record small. */
    private static boolean sameText(final String answered, final String deadLetter) {
        if (answered.equals(deadLetter)) {
            return true;
        }
        final int start = Math.min(32, Math.min(answered.length(), deadLetter.length()));
        return start > 0 && answered.regionMatches(0, deadLetter, 0, start);
    }

    private static List<String> codesOf(final GenericRecord deadLetter) {
        final List<String> codes = new ArrayList<>();
        for (final Object reason : (Collection<?>) deadLetter.get("reasons")) {
            codes.add(String.valueOf(((GenericRecord) reason).get("code")));
        }
        return codes;
    }

    private static String idColumnOf(final Feed feed) {
        return feed.contract().idColumn().name();
    }

    /** Reads one topic from its start to its end, keeping the records of the campaign's requests by request id. */
    private long readBack(final Feed feed, final boolean deadLetters, final Map<String, List<Published>> byRequest,
            final Map<Invariant, List<String>> found) {
        final String topic = deadLetters ? topics.apply(feed).deadLetter() : topics.apply(feed).raw();
        final Map<String, Object> properties = new HashMap<>(config.kafkaClientProperties());
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 * MAX_REQUEST_BYTES);
        final AvroDeserializer<GenericRecord> values = new AvroDeserializer<>();
        values.configure(config.serdeProperties(), false);
        long read = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            final List<TopicPartition> partitions = new ArrayList<>();
            for (final PartitionInfo partition : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                partitions.add(new TopicPartition(topic, partition.partition()));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            final long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Could not read " + topic + " to its end within two minutes");
                }
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    read++;
                    keep(feed, deadLetters, record, decode(values, topic, record.value()), byRequest, found);
                }
            }
        }
        return read;
    }

    /** The record's value; a registry slow to answer on a loaded machine is asked again, a few times. */
    private static GenericRecord decode(final AvroDeserializer<GenericRecord> values, final String topic,
            final byte[] bytes) {
        for (int attempt = 1; ; attempt++) {
            try {
                return values.deserialize(topic, bytes);
            } catch (SerializationException e) {
                if (!(e.getCause() instanceof SchemaRegistryException) || attempt == REGISTRY_ATTEMPTS) {
                    throw e;
                }
                LOG.warn("Reading {} back: {}; asking again", topic, e.getCause().getMessage());
            }
        }
    }

    private void keep(final Feed feed, final boolean deadLetter, final ConsumerRecord<String, byte[]> record,
            final GenericRecord value, final Map<String, List<Published>> byRequest,
            final Map<Invariant, List<String>> found) {
        if (value == null) {
            return;
        }
        final String source = String.valueOf(value.get("source"));
        // http:<agency>:<request id>, and for a raw record :<line>
        final String[] parts = source.split(":");
        if (parts.length < 3 || !parts[2].startsWith(prefix)) {
            return;
        }
        final long line;
        if (deadLetter) {
            line = Objects.requireNonNullElse((Long) value.get("line_number"), 0L);
            final String key = source + ":" + line;
            if (!key.equals(record.key())) {
                add(found, Invariant.REJECTED_WITH_REASONS, "dead letter keyed '" + shorten(record.key())
                        + "' is of " + key);
            }
        } else {
            line = parts.length > 3 ? parseLine(parts[3]) : -1;
        }
        final int bytes = (record.key() == null ? 0 : record.serializedKeySize()) + record.serializedValueSize();
        byRequest.computeIfAbsent(parts[2], id -> new ArrayList<>()).add(new Published(feed, deadLetter,
                record.key(), line, value, bytes));
    }

    private static long parseLine(final String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void add(final Map<Invariant, List<String>> found, final Invariant invariant, final String what) {
        found.computeIfAbsent(invariant, key -> new ArrayList<>()).add(what);
    }

    private static long median(final List<IntakeCampaign.Answer> answers) {
        final long[] millis = answers.stream().mapToLong(IntakeCampaign.Answer::millis).sorted().toArray();
        if (millis.length == 0) {
            return 0;
        }
        final int middle = millis.length / 2;
        return millis.length % 2 == 1 ? millis[middle] : (millis[middle - 1] + millis[middle]) / 2;
    }

    private static String shorten(final String text) {
        if (text == null) {
            return "null";
        }
        return text.length() <= 80 ? text : text.substring(0, 60) + "… (" + String.format(Locale.ROOT, "%,d",
                text.length()) + " characters)";
    }
}
