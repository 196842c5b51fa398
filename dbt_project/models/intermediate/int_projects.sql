-- Every appearance of a project: a line of a project list (项目支出表, 项目支出预算表) or a
-- performance form (项目支出绩效自评表, 绩效目标表). The project is named by its issuer, year,
-- name and implementing unit, so the same project printed in a department's and in its unit's
-- documents is one project. One row per appearance: (table_id, row_index), row_index null for
-- a form, whose project is the whole table.
{{ by_document() }}
with documents as (
    select document_id, fiscal_year from {{ touched_rows_of('stg_landing__documents') }}
),
issuers as (
    select document_id, issuer_id, issuer_name from {{ touched_rows_of('int_document_issuers') }}
),
forms as (
    -- 236-山西省医疗保障局 → code 236, name 山西省医疗保障局
    select
        t.document_id,
        t.table_id,
        t.template_id,
        cast(null as integer) as row_index,
        trim(t.project_name) as project_name,
        nullif(regexp_extract(t.implementing_unit, '^\s*(\d+)', 1), '') as implementing_unit_code,
        nullif(trim(regexp_replace(t.implementing_unit, '^\s*\d+\s*[-－—]?\s*', '')), '') as implementing_unit_name,
        nullif(regexp_extract(t.supervising_department, '^\s*(\d+)', 1), '') as supervising_department_code,
        nullif(trim(regexp_replace(t.supervising_department, '^\s*\d+\s*[-－—]?\s*', '')), '') as supervising_department_name
    from {{ touched_rows_of('stg_landing__tables') }} as t
    where t.template_family = 'performance' and t.project_name is not null
),
list_rows as (
    -- the lines of a project list that carry amounts; a line whose key is a unit code (613,
    -- 613004) is a unit heading, the lines below it are that unit's projects
    select distinct table_id, document_id, template_id, row_index, line_item, row_key
    from {{ touched_rows_of('int_amounts_located') }}
    where template_id in ({{ templates_in_role('project_budget') }})
),
name_columns as (
    -- a list printed with a 单位名称 column and a 项目名称 column: the project is in the latter
    select table_id, min(column_index) as column_index
    from {{ touched_rows_of('stg_landing__cells') }}
    where regexp_replace(cell_text, '\s', '', 'g') = '项目名称'
    group by table_id
),
list_projects as (
    select
        r.document_id,
        r.table_id,
        r.template_id,
        r.row_index,
        trim(coalesce(c.cell_text, r.line_item)) as project_name,
        last_value(case when regexp_matches(r.row_key, '^\d+$') then r.row_key end ignore nulls) over lines
            as implementing_unit_code,
        case when n.column_index is not null then r.line_item
             else last_value(case when regexp_matches(r.row_key, '^\d+$') then r.line_item end ignore nulls) over lines
        end as implementing_unit_name,
        cast(null as varchar) as supervising_department_code,
        cast(null as varchar) as supervising_department_name,
        regexp_matches(r.row_key, '^\d+$') as is_unit_heading,
        regexp_matches(regexp_replace(r.line_item, '\s', '', 'g'), '^(合计|总计|小计)$') as is_total
    from list_rows as r
    left join name_columns as n using (table_id)
    left join {{ touched_rows_of('stg_landing__cells') }} as c
        on c.table_id = r.table_id and c.row_index = r.row_index and c.column_index = n.column_index
    window lines as (partition by r.table_id order by r.row_index rows between unbounded preceding and current row)
),
appearances as (
    select * from forms
    union all by name
    select * exclude (is_unit_heading, is_total) from list_projects where not is_unit_heading and not is_total
)
select
    md5(concat_ws('|', i.issuer_id, d.fiscal_year, a.project_name, coalesce(a.implementing_unit_name, ''))) as project_id,
    a.*,
    i.issuer_id,
    i.issuer_name,
    d.fiscal_year
from appearances as a
join documents as d using (document_id)
join issuers as i using (document_id)
where a.project_name <> ''
