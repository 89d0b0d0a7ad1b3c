-- A topic deleted and created again (or a new cluster behind the same name) starts its offsets from
-- zero: the sink keeps each topic's id with its offsets and the source topic with every row, so that
-- it can tell, clear that topic's rows and read it again from the beginning.
ALTER TABLE sink_offset ADD COLUMN topic_id text;
ALTER TABLE area_metric ADD COLUMN topic text;
CREATE INDEX area_metric_topic ON area_metric (topic);
