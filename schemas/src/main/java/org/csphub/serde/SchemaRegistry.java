package org.csphub.serde;

import org.apache.avro.Schema;

/**
 * What the serde needs of a schema registry: an id for a schema under a subject, and a schema for an
 * id. {@link SchemaRegistryClient} speaks the Confluent REST API to a real registry;
 * {@link InMemorySchemaRegistry} stands in for one in topology unit tests.
 */
public interface SchemaRegistry {

    /** Registers {@code schema} under {@code subject} (or finds it registered) and returns its id. */
    int register(String subject, Schema schema);

    /** The id {@code schema} already has under {@code subject}, without registering it. */
    int idOf(String subject, Schema schema);

    /** The schema registered with {@code id}. */
    Schema schemaById(int id);
}
