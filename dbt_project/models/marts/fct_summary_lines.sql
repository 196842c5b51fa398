-- The lines of the two-sided summary tables (收入支出决算总表, 收支总表) of the current
-- documents, each counted once. A budget 收支总表 prints its expenditure side in several
-- column groups (by function class, by 部门 economic class, by 政府 economic class) and repeats
-- 本年支出合计 and 支出总计 in each; here a line printed in several groups with the same amount
-- is one row (printed_times, breakdowns, value_ids), so a plain sum counts it once. Where the
-- groups print different amounts for one line, each amount is a row and groups_agree is false.
-- line_role names the line's part in the table, so totals can be picked without spelling them.
-- Incremental by the affected issuers' documents, as the subject facts it reads.
{{ by_issuer() }}
with lines as (
    select
        *,
        -- 收入 / 本年收入 (上海) are one side
        case when contains(split_part(table_side, '/', 1), '收入') then '收入'
             when contains(split_part(table_side, '/', 1), '支出') then '支出'
             else split_part(table_side, '/', 1) end as side,
        nullif(split_part(table_side, '/', 2), '') as breakdown,
        -- the column under its side: 收入/预算数 and 支出/预算数 measure the same on two sides
        case when contains(column_path, '/') then regexp_replace(column_path, '^[^/]*/', '')
             else column_path end as side_column,
        regexp_replace(line_item, '\s', '', 'g') as line_name
    from {{ ref('fct_income_expenditure_summary') }}
    {{ only_affected('document_id') }}
),
counted as (
    select
        md5(concat_ws('|', document_id, template_id, side, line_name, side_column, spending_type,
                      funding_source, figure, amount)) as line_id,
        document_id,
        any_value(issuer_id) as issuer_id,
        any_value(issuer_name) as issuer_name,
        any_value(fiscal_year) as fiscal_year,
        any_value(document_kind) as document_kind,
        any_value(document_scope) as document_scope,
        template_id,
        side,
        line_name as line_item,
        min(printed_line_number) as printed_line_number,
        any_value(function_code) as function_code,
        side_column as column_path,
        spending_type,
        any_value(spending_type_zh) as spending_type_zh,
        funding_source,
        any_value(funding_source_zh) as funding_source_zh,
        figure,
        any_value(figure_zh) as figure_zh,
        amount,
        any_value(amount_unit) as amount_unit,
        min(raw_text) as raw_text,
        count(*) as printed_times,
        list(distinct breakdown order by breakdown) filter (where breakdown is not null) as breakdowns,
        list(value_id order by value_id) as value_ids,
        list(source_address order by column_index, row_index) as source_addresses
    from lines
    group by document_id, template_id, side, line_name, side_column, spending_type, funding_source,
             figure, amount
)
select
    *,
    case
        when regexp_matches(line_item, '^(本年)?(收入|支出)?合计$') then 'year_total'
        when regexp_matches(line_item, '^(收入|支出)?总计$') then 'grand_total'
        when regexp_matches(line_item, '结转|结余') then 'balance'
        else 'line'
    end as line_role,
    count(*) over (partition by document_id, template_id, side, line_item, column_path, spending_type,
                                funding_source, figure) = 1 as groups_agree
from counted
