package org.csphub.serde;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A schema registry held in memory, for topology unit tests (the role of Confluent's {@code mock://}
 * scope). Ids are assigned in order from 1; a schema registered under two subjects keeps one id.
 * Named instances are shared through {@link #named(String)}, which is what a serde configured with
 * {@code schema.registry.url=mem://NAME} uses.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {

    private static final Map<String, InMemorySchemaRegistry> NAMED = new ConcurrentHashMap<>();

    private final List<Schema> schemas = new ArrayList<>();
    private final Map<String, List<Integer>> subjects = new ConcurrentHashMap<>();

    public static InMemorySchemaRegistry named(final String name) {
        return NAMED.computeIfAbsent(name, key -> new InMemorySchemaRegistry());
    }

    @Override
    public synchronized int register(final String subject, final Schema schema) {
        int index = schemas.indexOf(schema);
        if (index < 0) {
            schemas.add(schema);
            index = schemas.size() - 1;
        }
        final int id = index + 1;
        final List<Integer> versions = subjects.computeIfAbsent(subject, key -> new ArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return id;
    }

    @Override
    public synchronized int idOf(final String subject, final Schema schema) {
        final int id = schemas.indexOf(schema) + 1;
        if (id == 0 || !subjects.getOrDefault(subject, List.of()).contains(id)) {
            throw new SchemaRegistryException("Schema " + schema.getFullName() + " is not registered under subject '"
                    + subject + "' in the in-memory registry", 404, 40403);
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(final int id) {
        if (id < 1 || id > schemas.size()) {
            throw new SchemaRegistryException("Schema id " + id + " not found in the in-memory registry", 404, 40403);
        }
        return schemas.get(id - 1);
    }

    public synchronized List<String> subjects() {
        return List.copyOf(subjects.keySet());
    }
}
