-- Every landed value with its table, document and classification levels resolved.
-- One row per value_id. Built by document (macros/incremental.sql).
{{ by_document() }}
with values_ as (
    select * from {{ ref('stg_landing__values') }}
    {{ only_touched('document_id') }}
),
tables_ as (
    select * from {{ ref('stg_landing__tables') }}
),
documents as (
    select * from {{ ref('stg_landing__documents') }}
)
select
    v.*,
    t.printed_title,
    t.printed_numbering,
    d.source_file,
    d.issuer_name,
    d.fiscal_year,
    d.document_kind,
    d.document_scope,
    case length(v.function_code) when 3 then '类' when 5 then '款' when 7 then '项' end
        as function_level,
    case when length(v.function_code) > 3 then left(v.function_code, length(v.function_code) - 2) end
        as function_parent_code,
    case length(v.economic_code) when 3 then '类' when 5 then '款' end as economic_level,
    case when length(v.economic_code) = 5 then left(v.economic_code, 3) end as economic_parent_code,
    {{ to_money('v.amount_yuan') }} as amount,
    d.source_file
        || ' · ' || coalesce(t.printed_numbering || ' ', '') || coalesce(t.printed_title, v.template_id)
        || ' · ' || coalesce('p.' || v.page_number, 'line ' || v.line_number_in_file)
        || ' · row ' || v.row_index || ', col ' || v.column_index
        as source_address
from values_ as v
join tables_ as t using (table_id)
join documents as d on d.document_id = v.document_id
