-- The forces whose KPIs are computed here from their own case data: those with KPI results or
-- an active case load. Their own results always win: a peer import never stands in for them.
CREATE OR REPLACE VIEW own_forces AS
SELECT DISTINCT force FROM kpi_results
UNION
SELECT force FROM force_as_of;
