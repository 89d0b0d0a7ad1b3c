package org.csphub.producers.intake;

/**
 * How the intake spreads a large export over threads: one thread reads the rows in file order and
 * hands them on in batches of {@code batchRows} to {@code workers} threads that validate them and
 * build and encode their records, while the thread that called the intake sends the results in file
 * order. At most {@code 2 × workers} batches wait between the reader and the sender, which bounds the
 * memory a file of any size takes. An export of fewer than {@code batchRows} rows is handled on the
 * calling thread alone.
 */
public record IntakePipeline(int workers, int batchRows) {

    /** Rows per batch: large enough that handing a batch over costs little per row, small enough to keep memory low. */
    public static final int DEFAULT_BATCH_ROWS = 1000;

    public IntakePipeline {
        if (workers < 1) {
            throw new IllegalArgumentException("The intake needs at least one worker thread, not " + workers);
        }
        if (batchRows < 1) {
            throw new IllegalArgumentException("A batch holds at least one row, not " + batchRows);
        }
    }

    /** One worker per available processor, batches of {@value #DEFAULT_BATCH_ROWS} rows. */
    public static IntakePipeline defaults() {
        return new IntakePipeline(Math.max(1, Runtime.getRuntime().availableProcessors()), DEFAULT_BATCH_ROWS);
    }

    /** How many batches may wait for the sender, examined or being examined. */
    int batchesAhead() {
        return 2 * workers;
    }
}
