package org.csphub.producers.intake;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/** A progress bar, by bytes read, for a large file being published; drawn on the given stream (stderr). */
public final class ProgressDisplay implements AutoCloseable {

    /** Files smaller than this go by too fast for a bar to help. */
    public static final long LARGE_FILE_BYTES = 4L * 1024 * 1024;
    private static final long MIB = 1024L * 1024;

    private final ProgressBar bar;

    private ProgressDisplay(final ProgressBar bar) {
        this.bar = bar;
    }

    public static ProgressDisplay start(final String name, final long bytes, final PrintStream terminal) {
        return new ProgressDisplay(new ProgressBarBuilder().setTaskName(name).setInitialMax(bytes)
                .setUnit("MiB", MIB).setConsumer(new ConsoleProgressBarConsumer(terminal)).showSpeed().build());
    }

    /** {@code in}, moving the bar as it is read. */
    public InputStream track(final InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                final int b = super.read();
                if (b >= 0) {
                    bar.step();
                }
                return b;
            }

            @Override
            public int read(final byte[] buffer, final int offset, final int length) throws IOException {
                final int read = super.read(buffer, offset, length);
                if (read > 0) {
                    bar.stepBy(read);
                }
                return read;
            }
        };
    }

    @Override
    public void close() {
        bar.close();
    }
}
