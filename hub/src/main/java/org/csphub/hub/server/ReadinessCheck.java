package org.csphub.hub.server;

/** One thing a process needs before it can do its work: a broker that answers, a running topology. */
public interface ReadinessCheck {

    /** What is checked, e.g. {@code kafka}, {@code schema-registry}, {@code topologies}. */
    String name();

    /** Whether it is ready now; never throws, and returns within a few seconds. */
    Result check();

    /** The outcome of one check. */
    record Result(boolean ready, String detail) {

        public static Result ready(final String detail) {
            return new Result(true, detail);
        }

        public static Result notReady(final String detail) {
            return new Result(false, detail);
        }
    }
}
