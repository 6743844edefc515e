-- Which controller runs a build (issue 16): with several controllers on one database, a build left
-- 'building' is failed only when the controller running it is gone, not whenever one restarts.
alter table builds add column controller text;
