-- This year's 年初结转和结余 equals last year's 年末结转和结余, for the same issuer (by its
-- normalised name), kind, scope
-- and summary table, among current documents. Where last year's document is not in the
-- warehouse the application is not applicable (its right side is missing).
{{ by_issuer() }}
with amounts as (
    select a.*, i.issuer_id
    from {{ ref('int_amounts_located') }} as a
    join {{ ref('int_document_issuers') }} as i using (document_id)
    where a.value_kind = 'amount'
      and a.template_id in ('final_01_income_expenditure_summary', 'final_04_appropriation_summary')
      and a.document_id in (select document_id from {{ ref('dim_document') }} where is_current)
      and {{ when_incremental(affected_documents('a.document_id')) }}  -- both years: the same issuer
),
opening as (
    select * from amounts where line_item like '年初%结转和结余' and table_side = '收入'
      and {{ when_incremental(affected_documents('document_id')) }}
),
closing as (
    select * from amounts where line_item like '年末%结转和结余' and table_side = '支出'
      and column_path in ('支出/金额', '支出/合计')
)
select
    'carry_over_between_years' as identity_id,
    o.document_id,
    o.table_id,
    o.issuer_name || ' ' || o.fiscal_year || ' ' || o.line_item || ' = ' || (o.fiscal_year - 1) || ' 年末' as location,
    {{ figure_printed_twice('o', 'c') }}
from opening as o
left join closing as c
  on c.issuer_id = o.issuer_id and c.template_id = o.template_id
 and c.document_kind = o.document_kind and c.document_scope is not distinct from o.document_scope
 and c.fiscal_year = o.fiscal_year - 1
