-- Every application of an accounting identity to the current documents: both sides, the
-- difference, the rounding tolerance and the outcome. Superseded versions' applications are in
-- identity_results_history.
select *
from {{ ref('identity_results_history') }}
where document_id in (select document_id from {{ ref('dim_document') }} where is_current)
