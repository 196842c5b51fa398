-- Figures that two tables of one document both print, from the catalogue of ties kept as data
-- (seed identity_ties: template, rows, column of each side; '|' separates several rows, '*'
-- takes every row, '%' is a wildcard in a column path). One row per (document, tie).
with amounts as (
    select * from {{ ref('int_amounts_located') }} where value_kind = 'amount'
),
ties as (
    select * from {{ ref('identity_ties') }}
),
sides as (
    select t.identity_id, 'left' as side, t.left_template as template_id, t.left_rows as row_list, t.left_column as column_pattern from ties t
    union all
    select t.identity_id, 'right', t.right_template, t.right_rows, t.right_column from ties t
),
matched as (
    select s.identity_id, s.side, a.*
    from sides as s
    join amounts as a
      on a.template_id = s.template_id
     and a.column_path like s.column_pattern
     and (s.row_list = '*' or list_contains(string_split(s.row_list, '|'), coalesce(a.economic_code, a.function_code, a.line_item)))
),
summed as (
    select
        identity_id, document_id, side,
        {{ summed_parts() }}
    from matched
    group by all
),
documents as (
    -- a tie applies to a document holding either side's table
    select distinct m.identity_id, m.document_id from matched m
)
select
    d.identity_id,
    d.document_id,
    null::varchar as table_id,
    t.left_rows || ' / ' || t.left_column || ' (' || t.left_template || ') = '
        || t.right_rows || ' / ' || t.right_column || ' (' || t.right_template || ')' as location,
    l.right_amount as left_amount,
    r.right_amount as right_amount,
    greatest(coalesce(l.n_parts, 0), coalesce(r.n_parts, 0)) as n_parts,
    {{ rounding_tolerance('greatest(coalesce(l.n_parts, 1), coalesce(r.n_parts, 1))', 'greatest(coalesce(l.max_decimals, 0), coalesce(r.max_decimals, 0))', 'greatest(coalesce(l.multiplier, 1), coalesce(r.multiplier, 1))') }} as tolerance,
    list_concat(coalesce(l.value_ids, []), coalesce(r.value_ids, [])) as source_value_ids,
    list_concat(coalesce(l.addresses, []), coalesce(r.addresses, [])) as source_addresses
from documents as d
join ties as t using (identity_id)
left join summed as l on l.identity_id = d.identity_id and l.document_id = d.document_id and l.side = 'left'
left join summed as r on r.identity_id = d.identity_id and r.document_id = d.document_id and r.side = 'right'
