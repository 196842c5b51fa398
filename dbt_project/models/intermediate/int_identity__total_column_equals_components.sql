-- A total column (合计, 小计, 本年收入合计, 本年支出合计) equals the sum of its sibling columns
-- in the same row: the columns under the same header parent, a nested group counted by its
-- own 小计. One row per (table, row, group, total column).
{{ by_document() }}
with amounts as (
    select
        *,
        string_split(column_path, '/') as path_parts,
        len(string_split(column_path, '/')) as depth
    from {{ touched_rows_of('int_amounts_located') }}
    where value_kind = 'amount'
),
with_prefix as (
    select
        *,
        array_to_string(path_parts[1:depth - 1], '/') as path_prefix,
        array_to_string(path_parts[1:depth - 2], '/') as grand_prefix,
        path_parts[depth] as leaf
    from amounts
),
totals as (
    select * from with_prefix
    where leaf in ('合计', '小计', '本年收入合计', '本年支出合计')
),
components as (
    select t.value_id as total_value_id, c.*
    from totals as t
    join with_prefix as c
      on c.table_id = t.table_id and c.row_index = t.row_index and c.group_index = t.group_index
     and c.value_id <> t.value_id
     and not starts_with(c.leaf, '其中')  -- 'of which' columns are subsets, not parts
     and (
        -- a sibling column directly under the same parent
        (c.path_prefix = t.path_prefix and c.leaf not in ('合计', '小计'))
        -- or the 小计 of a nested group under the same parent
        or (c.leaf = '小计' and c.depth = t.depth + 1 and c.grand_prefix = t.path_prefix)
        -- or, for a nested group printed without a 小计 (基本支出 → 人员经费 | 公用经费), its parts
        or (c.depth = t.depth + 1 and c.grand_prefix = t.path_prefix and c.leaf <> '小计'
            and not exists (
                select 1 from with_prefix as s
                where s.table_id = c.table_id and s.group_index = c.group_index
                  and s.path_prefix = c.path_prefix and s.leaf = '小计'
            ))
     )
),
summed as (
    select
        total_value_id,
        {{ summed_parts('column_index') }}
    from components
    group by total_value_id
)
select
    'total_column_equals_components' as identity_id,
    t.document_id,
    t.table_id,
    coalesce(nullif(t.row_label, ''), 'row ' || t.row_index)
        || coalesce(' [' || coalesce(t.function_code, t.economic_code) || ']', '')
        || ' / ' || t.column_path as location,
    {{ total_against_parts('t', 's') }}
from totals as t
join summed as s on s.total_value_id = t.value_id
