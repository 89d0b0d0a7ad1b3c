package org.csphub.producers.intake;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.csphub.serde.InMemorySchemaRegistry;
import org.csphub.serde.SchemaRegistry;

/** An in-memory registry that notes each registration, in order: its subject and its schema. */
public final class RecordingSchemaRegistry implements SchemaRegistry {

    /** One registration. */
    public record Registration(String subject, Schema schema) {
    }

    private final List<Registration> registrations = new ArrayList<>();
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @Override
    public synchronized int register(final String subject, final Schema schema) {
        registrations.add(new Registration(subject, schema));
        return registry.register(subject, schema);
    }

    @Override
    public int idOf(final String subject, final Schema schema) {
        return registry.idOf(subject, schema);
    }

    @Override
    public Schema schemaById(final int id) {
        return registry.schemaById(id);
    }

    /** The subjects registered so far, in order. */
    public synchronized List<String> subjects() {
        return registrations.stream().map(Registration::subject).toList();
    }

    /** The registrations so far, in order. */
    public synchronized List<Registration> registrations() {
        return List.copyOf(registrations);
    }
}
