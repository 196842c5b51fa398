-- 总分 = the indicators' 得分 + the funds' 得分, on each project self-evaluation form (in
-- points; the amount columns of identity_results carry points here). Not applicable where a side cannot be read whole: no printed 总分, no 得分 on the
-- funds' total line, or an indicator row that prints figures but whose score the ingest
-- could not place (counted from the landed cells between the indicator header and 总分).
{{ by_document() }}
with figures as (
    select * from {{ touched_rows_of('int_amounts_located') }}
    where template_id in ({{ templates_in_role('project_performance') }})
),
cells as (
    select table_id, row_index, column_index, regexp_replace(cell_text, '\s', '', 'g') as text
    from {{ touched_rows_of('stg_landing__cells') }}
    where table_id in (select table_id from figures)
),
bounds as (
    select
        h.table_id,
        min(h.row_index) as header_row,
        (select min(t.row_index) from cells as t
         where t.table_id = h.table_id and t.row_index > min(h.row_index) and t.text like '总分%') as total_row
    from cells as h
    where h.text = '三级指标'
    group by h.table_id
),
printed_rows as (
    -- indicator rows printing a figure (a row of dashes, 指标2： — —, prints none)
    select c.table_id, count(distinct c.row_index) as printed
    from cells as c
    join bounds as b on b.table_id = c.table_id and c.row_index > b.header_row and c.row_index < b.total_row
    where regexp_full_match(c.text, '[0-9]+(\.[0-9]+)?')
    group by c.table_id
),
indicators as (
    select
        table_id,
        sum(published_value) as score,
        count(*) as n_parts,
        max(published_decimals) as decimals,
        list(value_id order by row_index) as value_ids,
        list(source_address order by row_index) as addresses
    from figures
    where column_path = '得分' and table_section is not null
    group by table_id
),
funds as (
    -- the 得分 of the form's first funding line (资金总额)
    select table_id, arg_min(published_value, row_index) as score, arg_min(published_decimals, row_index) as decimals,
           arg_min(value_id, row_index) as value_id, arg_min(source_address, row_index) as address
    from figures
    where column_path = '得分' and table_section is null and line_item <> '总分'
    group by table_id
),
totals as (
    select table_id, document_id, published_value as score, published_decimals as decimals, value_id, source_address
    from figures
    where column_path = '总分/得分'
),
forms as (
    select distinct document_id, table_id from figures
)
select
    'performance_scores_add_up' as identity_id,
    f.document_id,
    f.table_id,
    '总分 = 指标得分 + 资金得分' as location,
    cast(t.score as decimal(18, 2)) as left_amount,
    case when coalesce(p.printed, 0) = coalesce(i.n_parts, 0) and fu.score is not null
         then cast(coalesce(i.score, 0) + fu.score as decimal(18, 2)) end as right_amount,
    coalesce(i.n_parts, 0) + 1 as n_parts,
    -- scores are given, not rounded: only the printed 总分 may be rounded to its precision
    {{ rounding_tolerance('1', 'coalesce(t.decimals, 0)', '1') }} as tolerance,
    list_filter(list_concat([t.value_id, fu.value_id], coalesce(i.value_ids, [])), lambda x: x is not null) as source_value_ids,
    list_filter(list_concat([t.source_address, fu.address], coalesce(i.addresses, [])), lambda x: x is not null) as source_addresses
from forms as f
left join totals as t using (table_id)
left join indicators as i using (table_id)
left join funds as fu using (table_id)
left join printed_rows as p using (table_id)
