-- 合计 = Σ类, 类 = Σ款, 款 = Σ项 (function codes) and 类 = Σ款 (economic codes), per table
-- and column. Columns are compared by path, so children printed in another column group of
-- the same table (基本支出明细表) still count. A table listing each unit's classes in turn
-- (深圳's 支出总表: the unit's name opens its rows, landed as the rows' section) sums each
-- unit's children within the unit; its 合计 sums every unit's classes.
-- One row per (table, column, unit section, parent).
{{ by_document() }}
with amounts as (
    select * from {{ touched_rows_of('int_amounts_located') }}
    where value_kind = 'amount'
),
coded_rows as (
    select
        *,
        coalesce(function_code, economic_code) as code,
        coalesce(function_parent_code, economic_parent_code) as parent_code,
        case when function_code is not null then 'function' else 'economic' end as code_scheme,
        coalesce(left(gov_economic_code, 3), '') as gov_class,
        coalesce(table_section, '') as unit_section
    from amounts
    where coalesce(function_code, economic_code) is not null
    -- a row printing the code of the row just above it in the same column is a sub-item printed
    -- with its parent's code (无锡 prints 21999 其他支出 and, indented below it, 21999 again for
    -- 2199999): not a second child of the parent above both
    qualify coalesce(function_code, economic_code) is distinct from lag(coalesce(function_code, economic_code))
        over (partition by table_id, column_path, coalesce(table_section, '') order by row_index)
),
-- a parent printed more than once in a column (烟台 prints 301 工资福利支出 under 501 and
-- again under 505, the 政府经济 class beside it) has the children printed under the same
-- 政府经济 class; a parent printed once has all its children
repeated as (
    select table_id, column_path, unit_section, code
    from coded_rows
    group by all
    having count(*) > 1
),
coded as (
    select
        c.*,
        case when r.code is not null then c.gov_class else '' end as parent_split,
        case when rp.code is not null then c.gov_class else '' end as child_split
    from coded_rows as c
    left join repeated as r on r.table_id = c.table_id and r.column_path = c.column_path
        and r.unit_section = c.unit_section and r.code = c.code
    left join repeated as rp on rp.table_id = c.table_id and rp.column_path = c.column_path
        and rp.unit_section = c.unit_section and rp.code = c.parent_code
),
-- a table's 合计 row is the parent of its top-level (3-digit) function classes
totals as (
    select * from amounts
    where line_item = '合计' and function_code is null and economic_code is null
      and template_id in (select distinct template_id from coded where code_scheme = 'function')
),
children as (
    select table_id, column_path, parent_code as parent_key, unit_section || '|' || child_split as split, value_id, amount, published_decimals, amount_unit, source_address
    from coded where parent_code is not null
    union all
    select table_id, column_path, '合计' as parent_key, '|' as split, value_id, amount, published_decimals, amount_unit, source_address
    from coded where code_scheme = 'function' and length(code) = 3
),
parents as (
    select table_id, document_id, column_path, code as parent_key, unit_section || '|' || parent_split as split, row_label, value_id, amount, published_decimals, amount_unit, source_address
    from coded
    union all
    select table_id, document_id, column_path, '合计', '|', row_label, value_id, amount, published_decimals, amount_unit, source_address
    from totals
),
summed as (
    select
        table_id, column_path, parent_key, split,
        {{ summed_parts() }}
    from children
    group by all
)
select
    'children_sum_to_parent' as identity_id,
    p.document_id,
    p.table_id,
    p.row_label || ' [' || p.parent_key || coalesce(' · ' || nullif(trim(p.split, '|'), ''), '') || '] / ' || p.column_path as location,
    {{ total_against_parts('p', 's') }}
from parents as p
join summed as s using (table_id, column_path, parent_key, split)
