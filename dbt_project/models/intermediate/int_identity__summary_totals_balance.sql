-- On two-sided summary tables the income 总计 equals each expenditure side's 总计 (the first
-- value column of that side). One row per (table, expenditure side). A side whose 总计 is
-- missing is reported as not applicable.
{{ by_document() }}
with amounts as (
    select * from {{ touched_rows_of('int_amounts_located') }}
    where value_kind = 'amount'
      and template_id in (
          'final_01_income_expenditure_summary', 'final_04_appropriation_summary',
          'budget_income_expenditure_summary', 'budget_appropriation_summary')
      and line_item in ('总计', '收入总计', '支出总计')
),
first_column as (
    select *, row_number() over (partition by table_id, group_index order by column_index) as k
    from amounts
),
income as (
    select * from first_column where k = 1 and group_index = 0
),
expenditure as (
    select * from first_column where k = 1 and group_index > 0
)
select
    'summary_totals_balance' as identity_id,
    coalesce(i.document_id, e.document_id) as document_id,
    coalesce(i.table_id, e.table_id) as table_id,
    '总计: ' || coalesce(i.table_side, '收入') || ' = ' || coalesce(e.table_side, '支出') as location,
    {{ figure_printed_twice('i', 'e') }}
from income as i
full outer join expenditure as e using (table_id)
