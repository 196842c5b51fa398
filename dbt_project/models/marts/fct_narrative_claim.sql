-- 叙述中的数字: one row per figure stated in a document's narrative (情况说明) — the section and
-- sentence, what it is about (the subject phrase, and the table line it resolves to), the
-- measure (amount, budget_amount, share, change_amount, change_percent, completion_rate,
-- count, percent), the value as printed and in 元, the table value it restates, and for a
-- change against last year the prior-year value it implies; the document and cell it resolved
-- against (another document's for a narrative published apart from its tables). Grain: claim_id.
-- Incremental by the affected issuers' documents: a claim is resolved against its issuer's
-- documents (the companion with the tables, last year's).
{{ by_issuer() }}
with claims as (
    select * from {{ ref('stg_landing__claims') }}
    {{ only_affected('document_id') }}
),
located as (
    select value_id, document_id, source_file, source_address, template_id, line_item, function_code,
           economic_code, column_path, amount
    from {{ ref('int_amounts_located') }}
),
documents as (
    select document_id, issuer_id, issuer_name, fiscal_year, document_kind, source_file, table_count
    from {{ ref('dim_document') }}
),
-- the document a narrative without tables was resolved against: the current document of the same
-- issuer, year and kind with the most tables (as pipeline/narrative_links.py picks it), for a claim
-- resolved to a line its table does not print (no cell to read the document from)
companions as (
    select issuer_id, fiscal_year, document_kind,
           arg_max(document_id, table_count) as companion_id, arg_max(source_file, table_count) as companion_file
    from {{ ref('dim_document') }}
    where is_current and table_count > 0
    group by all
)
select
    c.claim_id,
    c.document_id,
    d.issuer_id,
    d.issuer_name,
    d.fiscal_year,
    d.document_kind,
    c.narrative_section,
    c.narrative_part,
    c.sentence,
    c.sentence_index,
    c.subject,
    c.claim_measure,
    c.published_value,
    c.claim_unit,
    c.published_decimals,
    {{ to_money('c.amount_yuan') }} as amount,
    c.raw_text,
    c.resolved_to is not null as is_resolved,
    c.resolved_to,
    s.template_id as resolved_template_id,
    s.line_item as resolved_line_item,
    coalesce(s.function_code, c.resolved_function_code) as resolved_function_code,
    s.economic_code as resolved_economic_code,
    s.column_path as resolved_column_path,
    c.subject_value_id,
    -- the document and cell the claim resolved against: the narrative's own document, or for a
    -- narrative published without its tables, the companion of the same issuer, year and kind
    -- (pipeline/narrative_links.py)
    case when c.resolved_to is not null
         then coalesce(s.document_id, case when d.table_count > 0 then d.document_id else m.companion_id end)
    end as resolved_document_id,
    case when c.resolved_to is not null
         then coalesce(s.source_file, case when d.table_count > 0 then d.source_file else m.companion_file end)
    end as resolved_source_file,
    s.source_address as resolved_source_address,
    c.restated_value_id,
    c.denominator_value_id,
    s.amount as table_amount,
    -- a change against last year implies last year's value: this year's minus the change
    case when c.claim_measure = 'change_amount' then s.amount - {{ to_money('c.amount_yuan') }} end
        as implied_prior_year_amount,
    c.page_number,
    c.line_number_in_file,
    d.source_file || ' · ' || coalesce(c.narrative_section || ' · ', '')
        || coalesce('p.' || c.page_number, 'line ' || c.line_number_in_file) as source_address,
    c.parser_version
from claims as c
join documents as d using (document_id)
left join located as s on s.value_id = c.subject_value_id
left join companions as m using (issuer_id, fiscal_year, document_kind)
-- current documents only (a corrected document's earlier version is in dim_document)
where c.document_id in (select document_id from {{ ref('dim_document') }} where is_current)
