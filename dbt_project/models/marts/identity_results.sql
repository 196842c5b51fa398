-- Every application of an accounting identity to the current documents: both sides, the
-- difference, the rounding tolerance and the outcome. Superseded versions' applications are in
-- identity_results_history.
-- Stored ordered by outcome and identity: an analyst asks for the violations (of one kind of
-- identity), a small share of the rows, and DuckDB then reads only the row groups whose
-- min/max of outcome can hold 'violated' instead of every application (at 10^3 documents the
-- README's two questions on violations took 116 and 167 ms p95 scanning all of them).
-- Incremental as identity_results_history: the recomputed applications are appended, in the
-- same order among themselves (a full build orders them all).
{{ by_application() }}
select *
from {{ ref('identity_results_history') }}
where document_id in (select document_id from {{ ref('dim_document') }} where is_current)
{% if is_incremental() %}and {{ recomputed_applications() }}{% endif %}
order by outcome, identity_id, document_id, application_id
