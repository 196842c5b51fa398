-- Figures that two tables of one document both print, from the catalogue of ties kept as data
-- (seed identity_ties). Each side names a template, its rows, a column and a measure:
--   rows    'a|b' sums rows a and b; 'a>b' takes a where the table prints it, else b
--           (收入总计>收入合计); '*' takes every row; a row is matched by its economic or
--           function code, else its line item;
--   column  a LIKE pattern on the column path ('%' for any; '!p' for paths not like p:
--           !本年收入/% leaves out the 本年收入/小计 column beside a 收入总表's 合计);
--   measure 'attribute=v1,v2;attribute=v' over what int_amounts_measured reads from the
--           header (spending_type, funding_source, figure, three_public_item); empty for any.
-- A row printed in several column groups counts once if the groups agree; if they do not,
-- the side is ambiguous and the application not applicable rather than a sum of the wrong
-- things (its values stay listed, so the reason can be seen). One row per (document, tie).
{{ by_document() }}
with amounts as (
    select * from {{ touched_rows_of('int_amounts_measured') }} where value_kind = 'amount'
),
ties as (
    -- one identity may tie several line pairs (each income line of 公开01表 to its 公开02表 column)
    select *, identity_id || ' | ' || left_rows || ' | ' || right_column as tie_key
    from {{ ref('identity_ties') }}
),
sides as (
    select t.tie_key, t.identity_id, 'left' as side, t.left_template as template_id, t.left_rows as row_spec,
           t.left_column as column_pattern, coalesce(t.left_measure, '') as measure_spec
    from ties t
    union all
    select t.tie_key, t.identity_id, 'right', t.right_template, t.right_rows, t.right_column, coalesce(t.right_measure, '')
    from ties t
),
alternatives as (
    -- 'a>b': one alternative per '>' part, in order of preference
    select s.* exclude (row_spec), unnest(string_split(s.row_spec, '>')) as row_list,
           generate_subscripts(string_split(s.row_spec, '>'), 1) as preference
    from sides as s
),
matched as (
    select al.tie_key, al.identity_id, al.side, al.preference, al.row_list, a.*
    from alternatives as al
    join amounts as a
      on a.template_id = al.template_id
     and case when starts_with(al.column_pattern, '!') then a.column_path not like substr(al.column_pattern, 2)
              else a.column_path like al.column_pattern end
     and (al.row_list = '*' or list_contains(string_split(al.row_list, '|'), coalesce(a.economic_code, a.function_code, a.line_item)))
     and coalesce(list_bool_and(list_transform(
             list_filter(string_split(al.measure_spec, ';'), lambda pair: pair <> ''),
             lambda pair: list_contains(
                 string_split(split_part(pair, '=', 2), ','),
                 case split_part(pair, '=', 1)
                     when 'spending_type' then a.spending_type
                     when 'funding_source' then a.funding_source
                     when 'figure' then a.figure
                     when 'three_public_item' then a.three_public_item
                 end))), true)
),
preferred as (
    select * from matched
    qualify preference = min(preference) over (partition by tie_key, document_id, side)
),
per_row as (
    -- one figure per named row: a row printed in several column groups (支出总计 under each
    -- of a 收支总表's expenditure sides) counts once when the groups agree, and makes the side
    -- ambiguous when they do not; with '*' every value is its own row
    select
        *,
        min(amount) over named_row = max(amount) over named_row as groups_agree,
        row_number() over (named_row order by value_id) as k
    from (
        select *, case when row_list = '*' then value_id
                       else coalesce(economic_code, function_code, line_item) end as row_name
        from preferred
    )
    window named_row as (partition by tie_key, document_id, side, row_name)
),
summed as (
    select
        tie_key, document_id, side,
        bool_and(groups_agree) as is_usable,
        {{ summed_parts() }}
    from per_row
    where k = 1
    group by tie_key, document_id, side
),
documents as (
    -- a tie applies to a document holding either side's table
    select distinct m.tie_key, m.document_id from matched m
)
select
    t.identity_id,
    d.document_id,
    null::varchar as table_id,
    t.left_rows || ' / ' || t.left_column || ' (' || t.left_template || ') = '
        || t.right_rows || ' / ' || t.right_column || ' (' || t.right_template || ')' as location,
    case when l.is_usable then l.right_amount end as left_amount,
    case when r.is_usable then r.right_amount end as right_amount,
    greatest(coalesce(l.n_parts, 0), coalesce(r.n_parts, 0)) as n_parts,
    {{ rounding_tolerance('greatest(coalesce(l.n_parts, 1), coalesce(r.n_parts, 1))', 'greatest(coalesce(l.max_decimals, 0), coalesce(r.max_decimals, 0))', 'greatest(coalesce(l.multiplier, 1), coalesce(r.multiplier, 1))') }} as tolerance,
    list_concat(coalesce(l.value_ids, []), coalesce(r.value_ids, [])) as source_value_ids,
    list_concat(coalesce(l.addresses, []), coalesce(r.addresses, [])) as source_addresses
from documents as d
join ties as t using (tie_key)
left join summed as l on l.tie_key = d.tie_key and l.document_id = d.document_id and l.side = 'left'
left join summed as r on r.tie_key = d.tie_key and r.document_id = d.document_id and r.side = 'right'
