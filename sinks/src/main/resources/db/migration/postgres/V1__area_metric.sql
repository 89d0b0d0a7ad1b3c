-- The operator's store: every metric value as the topologies last wrote it, unsuppressed.
-- dimension and dimension_value are '' for a total, so that they can be part of the primary key.
CREATE TABLE area_metric (
    metric          text             NOT NULL,
    dimension       text             NOT NULL,
    dimension_value text             NOT NULL,
    area_type       text             NOT NULL,
    area_code       text             NOT NULL,
    period_type     text             NOT NULL,
    period          text             NOT NULL,
    family          text             NOT NULL,
    area_name       text             NOT NULL,
    value           double precision,
    numerator       bigint,
    denominator     bigint,
    suppressed      boolean          NOT NULL,
    updated_at      timestamptz      NOT NULL,
    PRIMARY KEY (metric, dimension, dimension_value, area_type, area_code, period_type, period)
);
CREATE INDEX area_metric_scope ON area_metric (family, period_type, period);

-- What the research group reads: the same rows with disclosure control applied, refreshed in the
-- transaction that changes area_metric, for every family and period the change can affect.
CREATE TABLE published_area_metric (
    metric          text             NOT NULL,
    dimension       text             NOT NULL,
    dimension_value text             NOT NULL,
    area_type       text             NOT NULL,
    area_code       text             NOT NULL,
    period_type     text             NOT NULL,
    period          text             NOT NULL,
    family          text             NOT NULL,
    area_name       text             NOT NULL,
    value           double precision,
    numerator       bigint,
    denominator     bigint,
    suppressed      boolean          NOT NULL,
    updated_at      timestamptz      NOT NULL,
    PRIMARY KEY (metric, dimension, dimension_value, area_type, area_code, period_type, period)
);
CREATE INDEX published_area_metric_scope ON published_area_metric (family, period_type, period);

-- The next offset to read of every metric topic partition, written in the same transaction as the
-- rows it covers: the sink's position is exactly what the tables reflect.
CREATE TABLE sink_offset (
    topic       text        NOT NULL,
    partition   integer     NOT NULL,
    next_offset bigint      NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (topic, partition)
);
