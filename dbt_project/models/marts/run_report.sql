-- One row per input file of the last build: what happened to it and why, and whether the
-- document it holds is the current version or superseded by a later one.
select
    r.*,
    case
        when d.document_id is null then null
        when d.is_current then 'current'
        else 'superseded'
    end as document_status,
    d.superseded_by_document_id
from {{ ref('stg_landing__run_report') }} as r
left join {{ ref('dim_document') }} as d
  on d.document_id = r.document_id and r.run_outcome in ('landed', 'unchanged')
