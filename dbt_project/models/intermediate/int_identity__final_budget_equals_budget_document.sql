-- The 年初预算 a final account's narrative states (一般公共预算财政拨款支出年初预算891.55万元;
-- 社会保障和就业支出年初预算369.25万元) equals the figure the issuer's budget of that year
-- prints in its 一般公共预算支出表: the 合计 line for the total, the 类 for a class. Where the
-- budget document is not in the warehouse the application is not applicable. One row per
-- budget claim of a final account that resolves to the general-budget total or to a 类.
{{ by_issuer() }}
with claims as (
    select c.*, i.issuer_id, d.fiscal_year
    from {{ ref('stg_landing__claims') }} as c
    join {{ ref('int_document_issuers') }} as i using (document_id)
    join {{ ref('stg_landing__documents') }} as d using (document_id)
    where c.claim_measure = 'budget_amount' and d.document_kind = '决算' and c.amount_yuan is not null
      and {{ when_incremental(affected_documents('c.document_id')) }}
),
subjects as (
    -- what the claim is the budget of: a 类 code, or the general-budget total
    select c.*,
           case when c.resolved_function_code is not null and length(c.resolved_function_code) = 3
                then c.resolved_function_code end as class_code,
           s.template_id = 'final_05_general_budget_expenditure' and s.function_code is null as is_total
    from claims as c
    left join {{ affected_rows_of('int_amounts_located') }} as s on s.value_id = c.subject_value_id
),
budgets as (
    select m.*, i.issuer_id
    from {{ affected_rows_of('int_amounts_measured') }} as m  -- the budget document: the same issuer
    join {{ ref('int_document_issuers') }} as i using (document_id)
    where m.template_id = 'budget_general_by_function' and m.value_kind = 'amount'
      and m.spending_type = 'total' and m.funding_source in ('all', 'general_public_budget')
      and m.document_id in (select document_id from {{ ref('dim_document') }} where is_current and document_kind = '预算')
),
first_column as (
    select * from budgets
    qualify column_index = min(column_index) over (partition by table_id)
),
matched as (
    select s.*, b.amount as budget_amount, b.value_id as budget_value_id, b.source_address as budget_address,
           b.published_decimals as budget_decimals, b.amount_unit as budget_unit
    from subjects as s
    left join first_column as b
      on b.issuer_id = s.issuer_id and b.fiscal_year = s.fiscal_year
     and ((s.class_code is not null and b.function_code = s.class_code)
          or (s.is_total and b.function_code is null and b.line_item in ('合计', '总计')))
    where s.class_code is not null or s.is_total
)
select
    'final_budget_equals_budget_document' as identity_id,
    document_id,
    null::varchar as table_id,
    coalesce(narrative_section || ': ', '') || coalesce(subject, '(no subject)') || ' 年初预算 ' || raw_text
        as location,
    {{ to_money('amount_yuan') }} as left_amount,
    budget_amount as right_amount,
    1 as n_parts,
    cast(greatest(0.5 * power(10, -published_decimals) * {{ unit_multiplier('claim_unit') }},
                  coalesce(0.5 * power(10, -budget_decimals) * {{ unit_multiplier('budget_unit') }}, 0))
         as decimal(18, 4)) as tolerance,
    list_filter([claim_id, budget_value_id], lambda x: x is not null) as source_value_ids,
    list_filter([budget_address], lambda x: x is not null) as source_addresses
from matched
