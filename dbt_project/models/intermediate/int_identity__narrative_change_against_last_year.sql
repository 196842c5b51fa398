-- A change against last year the narrative states (与上年相比，收入总计减少570.56万元) equals this
-- year's table value minus last year's, where last year's document of the same issuer, kind
-- and scope is in the warehouse and prints the same line (template, line item, column). Where
-- it is not, the application is not applicable; the prior-year value the claim implies is kept
-- in fct_narrative_claim. One row per change claim resolved to a table value.
{{ by_issuer() }}
with claims as (
    select c.*, i.issuer_id, d.fiscal_year, d.document_kind, d.document_scope
    from {{ ref('stg_landing__claims') }} as c
    join {{ ref('int_document_issuers') }} as i using (document_id)
    join {{ ref('stg_landing__documents') }} as d using (document_id)
    where c.claim_measure = 'change_amount' and c.subject_value_id is not null and c.amount_yuan is not null
      and {{ when_incremental(affected_documents('c.document_id')) }}
),
located as (
    select a.*, i.issuer_id, d.document_scope as scope
    from {{ ref('int_amounts_located') }} as a
    join {{ ref('int_document_issuers') }} as i using (document_id)
    join {{ ref('stg_landing__documents') }} as d using (document_id)
    where a.document_id in (select document_id from {{ ref('dim_document') }} where is_current)
      and {{ when_incremental(affected_documents('a.document_id')) }}  -- last year's document: the same issuer
),
paired as (
    select
        c.*,
        t.amount as this_year, t.value_id as this_value_id, t.source_address as this_address,
        t.published_decimals as this_decimals, t.amount_unit as this_unit,
        p.amount as last_year, p.value_id as last_value_id, p.source_address as last_address,
        p.published_decimals as last_decimals, p.amount_unit as last_unit
    from claims as c
    join located as t on t.value_id = c.subject_value_id
    left join located as p
      on p.issuer_id = c.issuer_id and p.fiscal_year = c.fiscal_year - 1
     and p.document_kind = c.document_kind and p.scope is not distinct from c.document_scope
     and p.template_id = t.template_id and p.line_item = t.line_item
     and p.column_path = t.column_path and p.table_side is not distinct from t.table_side
)
select
    'narrative_change_against_last_year' as identity_id,
    document_id,
    null::varchar as table_id,
    coalesce(narrative_section || ': ', '') || coalesce(subject, '(no subject)') || ' ' || raw_text || ' against ' || (fiscal_year - 1)
        as location,
    {{ to_money('amount_yuan') }} as left_amount,
    this_year - last_year as right_amount,
    2 as n_parts,
    -- the narrative subtracts its own two rounded figures: its precision counts twice
    cast(power(10, -published_decimals) * {{ unit_multiplier('claim_unit') }}
         + 0.5 * power(10, -this_decimals) * {{ unit_multiplier('this_unit') }}
         + coalesce(0.5 * power(10, -last_decimals) * {{ unit_multiplier('last_unit') }}, 0) as decimal(18, 4))
        as tolerance,
    list_filter([claim_id, this_value_id, last_value_id], lambda x: x is not null) as source_value_ids,
    list_filter([this_address, last_address], lambda x: x is not null) as source_addresses
from paired
