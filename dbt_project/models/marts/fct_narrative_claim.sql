-- 叙述中的数字: one row per figure stated in a document's narrative (情况说明) — the section and
-- sentence, what it is about (the subject phrase, and the table line it resolves to), the
-- measure (amount, budget_amount, share, change_amount, change_percent, completion_rate,
-- count, percent), the value as printed and in 元, the table value it restates, and for a
-- change against last year the prior-year value it implies. Grain: claim_id.
-- Incremental by the affected issuers' documents: a claim is resolved against its issuer's
-- documents (the sibling with the tables, last year's).
{{ by_issuer() }}
with claims as (
    select * from {{ ref('stg_landing__claims') }}
    {{ only_affected('document_id') }}
),
located as (
    select value_id, template_id, line_item, function_code, economic_code, column_path, amount
    from {{ ref('int_amounts_located') }}
),
documents as (
    select document_id, issuer_id, issuer_name, fiscal_year, document_kind, source_file
    from {{ ref('dim_document') }}
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
-- current documents only (a corrected document's earlier version is in dim_document)
where c.document_id in (select document_id from {{ ref('dim_document') }} where is_current)
