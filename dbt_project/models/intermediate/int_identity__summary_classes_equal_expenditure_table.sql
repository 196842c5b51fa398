-- Each function class on 收入支出决算总表's expenditure side equals that 类 row of 支出决算表
-- (本年支出合计), matched by name. One row per (document, class) printed on either table.
{{ by_document() }}
with amounts as (
    select * from {{ touched_rows_of('int_amounts_located') }} where value_kind = 'amount'
),
summary as (
    select * from amounts
    where template_id = 'final_01_income_expenditure_summary' and table_side = '支出'
      and regexp_matches(row_label, '^[一二三四五六七八九十]+、')
),
expenditure as (
    select * from amounts
    where template_id = 'final_03_expenditure' and function_level = '类' and column_path = '本年支出合计'
)
select
    'summary_classes_equal_expenditure_table' as identity_id,
    coalesce(s.document_id, e.document_id) as document_id,
    coalesce(s.table_id, e.table_id) as table_id,
    coalesce(s.line_item, e.line_item) || coalesce(' [' || e.function_code || ']', '') as location,
    {{ figure_printed_twice('s', 'e') }}
from summary as s
full outer join expenditure as e
  on e.document_id = s.document_id and e.line_item = s.line_item
where coalesce(s.document_id, e.document_id) in (select document_id from summary)
  and coalesce(s.document_id, e.document_id) in (select document_id from expenditure)
