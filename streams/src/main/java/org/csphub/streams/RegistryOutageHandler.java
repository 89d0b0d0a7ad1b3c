package org.csphub.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.csphub.serde.SchemaRegistryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' log-and-continue handling of a record that cannot be read (it goes to the dead-letter
 * topic, and the topologies go on), except when the reason is that the schema registry cannot be reached:
 * nothing is wrong with such a record, so the stream thread fails instead, and is replaced
 * ({@link ThreadFailures}), and the record is read again from the last commit. The serde has already asked
 * the registry again for two minutes ({@code SchemaRegistryClient.Settings.LOOKUP_RETRY}) by then.
 */
public final class RegistryOutageHandler extends LogAndContinueExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryOutageHandler.class);

    @Override
    public Response handleError(final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record,
            final Exception exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof SchemaRegistryException registry && registry.isTransient()) {
                LOG.error("Cannot read the record at {}-{} offset {} while the schema registry is away ({}); "
                        + "the stream thread stops and reads it again when it is replaced", record.topic(),
                        record.partition(), record.offset(), registry.getMessage());
                return Response.fail();
            }
        }
        return super.handleError(context, record, exception);
    }
}
