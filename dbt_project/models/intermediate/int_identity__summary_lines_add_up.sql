-- On the two-sided summary tables (公开01表, 公开04表), on each side and in each column:
-- 本年收入合计 = the enumerated income lines (一、… 八、), 本年支出合计 = the enumerated
-- function classes, and 总计 = 本年合计 + the balance lines (使用非财政拨款结余, 年初结转和结余;
-- 结余分配, 年末结转和结余). One row per (table, side column, total line).
{{ by_document() }}
with lines as (
    select *,
        regexp_matches(row_label, '^[一二三四五六七八九十]+、') as is_enumerated,
        line_item in ('本年收入合计', '本年支出合计') as is_year_total,
        line_item = '总计' as is_grand_total,
        line_item like '使用非财政拨款结余%' or line_item like '年初%结转和结余'
            or line_item = '结余分配' or line_item like '年末%结转和结余' as is_balance
    from {{ touched_rows_of('int_amounts_located') }}
    where value_kind = 'amount'
      and template_id in ('final_01_income_expenditure_summary', 'final_04_appropriation_summary')
),
parts as (
    -- parts of 本年合计: the enumerated lines; parts of 总计: 本年合计 and the balance lines
    select table_id, group_index, column_path, '本年合计' as total_kind, * exclude (table_id, group_index, column_path)
    from lines where is_enumerated
    union all by name
    select table_id, group_index, column_path, '总计' as total_kind, * exclude (table_id, group_index, column_path)
    from lines where is_year_total or is_balance
),
summed as (
    select
        table_id, group_index, column_path, total_kind,
        {{ summed_parts('row_index') }}
    from parts
    group by all
),
totals as (
    select *, case when is_year_total then '本年合计' else '总计' end as total_kind
    from lines where is_year_total or is_grand_total
)
select
    'summary_lines_add_up' as identity_id,
    t.document_id,
    t.table_id,
    coalesce(t.printed_numbering || ' ', '') || coalesce(t.table_side || ': ', '') || t.line_item
        || ' / ' || t.column_path as location,
    {{ total_against_parts('t', 's') }}
from totals as t
join summed as s using (table_id, group_index, column_path, total_kind)
