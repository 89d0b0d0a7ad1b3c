-- The published table is now written from the topologies' published topics (csp.published.<family>),
-- where disclosure control has been applied over whole periods, instead of being worked out here.
-- Like area_metric, each row keeps the topic it came from, so a topic created again can be cleared.
ALTER TABLE published_area_metric ADD COLUMN topic text;
CREATE INDEX published_area_metric_topic ON published_area_metric (topic);
-- rows worked out by the sink itself have no topic: read the published topics from their beginning
DELETE FROM published_area_metric;
DELETE FROM sink_offset WHERE topic LIKE 'csp.published.%';
